import { Chip, TextField } from '@material-ui/core';
import { Autocomplete } from '@material-ui/lab';
import type { ClusterAvailability } from '@internal/plugin-sidecars-common';

/** A wave's clusters, picked from the configured ones (as the fleet answer lists them) or typed. */
export function WaveClustersField(props: {
  id: string;
  name: string;
  value: string[];
  onChange: (clusters: string[]) => void;
  configured: readonly ClusterAvailability[];
  loading: boolean;
  error?: string;
}) {
  const { id, name, value, onChange, configured, loading, error } = props;
  const down = new Set(configured.filter(c => !c.ok).map(c => c.name));
  const helperText =
    error ??
    (configured.length > 0
      ? 'Upgraded in parallel, one child workflow per cluster'
      : 'Type the container above to list the configured clusters, or type cluster names');
  return (
    <Autocomplete
      id={id}
      multiple
      freeSolo
      // A typed name counts when the field loses focus, not only on Enter.
      autoSelect
      options={configured.map(cluster => cluster.name)}
      loading={loading}
      value={value}
      onChange={(_event, clusters) =>
        onChange(clusters.map(cluster => cluster.trim()).filter(Boolean))
      }
      renderOption={cluster => (
        <span>
          {cluster}
          {down.has(cluster) && (
            <small style={{ marginLeft: 8, opacity: 0.7 }}>
              (not answering)
            </small>
          )}
        </span>
      )}
      renderTags={(clusters, getTagProps) =>
        clusters.map((cluster, index) => (
          <Chip
            size="small"
            label={cluster}
            {...getTagProps({ index })}
            key={cluster}
          />
        ))
      }
      renderInput={params => (
        <TextField
          {...params}
          name={name}
          label="Clusters"
          required
          variant="outlined"
          margin="dense"
          error={Boolean(error)}
          helperText={helperText}
        />
      )}
    />
  );
}
