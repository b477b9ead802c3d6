import { TextField } from '@material-ui/core';
import { Autocomplete } from '@material-ui/lab';
import type { FleetResponse } from '@internal/plugin-sidecars-common';

type FleetVersion = FleetResponse['versions'][number];

/** The image to roll out, typed freely or picked from the versions already running in the fleet. */
export function TargetImageField(props: {
  value: string;
  onChange: (image: string) => void;
  fleetVersions: readonly FleetVersion[];
  newestVersion?: string;
  currentVersions?: readonly string[];
  error?: string;
  loadingVersions: boolean;
}) {
  const {
    value,
    onChange,
    fleetVersions,
    newestVersion,
    currentVersions = [],
    error,
    loadingVersions,
  } = props;
  const describe = (version: FleetVersion) =>
    [
      `${version.pods} pods in the fleet`,
      version.version === newestVersion ? 'newest' : '',
      currentVersions.includes(version.version) ? 'running here now' : '',
    ]
      .filter(Boolean)
      .join(', ');
  const helperText =
    error ??
    (fleetVersions.length > 0
      ? 'Pick a version already running in the fleet, or type any image reference with a tag or digest.'
      : 'An image reference with a tag or digest, e.g. docker.io/istio/proxyv2:1.24.2');
  return (
    <Autocomplete
      id="campaign-targetImage"
      freeSolo
      options={fleetVersions.map(version => version.image)}
      loading={loadingVersions}
      inputValue={value}
      onInputChange={(_event, image) => onChange(image)}
      renderOption={image => {
        const version = fleetVersions.find(
          candidate => candidate.image === image,
        );
        return (
          <span>
            {image}
            {version && (
              <small style={{ marginLeft: 8, opacity: 0.7 }}>
                ({describe(version)})
              </small>
            )}
          </span>
        );
      }}
      renderInput={params => (
        <TextField
          {...params}
          name="targetImage"
          label="Target image"
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
