import {
  Checkbox,
  FormControlLabel,
  FormHelperText,
  Grid,
  TextField,
  Typography,
} from '@material-ui/core';
import { usesWaves, type CampaignFormSectionProps } from './formModel';

/** Which pods: one catalog entity's pods, or a fleet selection by cluster, namespace and labels. */
export function SelectorSection(props: CampaignFormSectionProps) {
  const { values, onChange, errorFor } = props;
  const clustersField = usesWaves(values) ? (
    <Typography variant="body2" color="textSecondary">
      Clusters: each wave below lists its own.
    </Typography>
  ) : (
    <TextField
      id="campaign-selector-clusters"
      name="selector.clusters"
      label="Clusters (optional)"
      fullWidth
      variant="outlined"
      margin="dense"
      value={values.clusters}
      onChange={event => onChange({ clusters: event.target.value })}
      error={Boolean(errorFor('selector.clusters'))}
      helperText={
        errorFor('selector.clusters') ??
        'Comma-separated, e.g. prod-eu-1, prod-us-1; empty for all clusters'
      }
    />
  );
  if (values.entityRef) {
    return (
      <Grid container spacing={2}>
        <Grid item xs={12} sm={6}>
          <Typography variant="body2">
            Pods of <strong>{values.entityRef}</strong>, found through its
            Kubernetes annotations.
          </Typography>
          {errorFor('selector') && (
            <FormHelperText error>{errorFor('selector')}</FormHelperText>
          )}
        </Grid>
        <Grid item xs={12} sm={6}>
          {clustersField}
        </Grid>
      </Grid>
    );
  }
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} sm={6}>
        {clustersField}
      </Grid>
      <Grid item xs={12} sm={6}>
        <TextField
          id="campaign-selector-namespaces"
          name="selector.namespaces"
          label="Namespaces (optional)"
          fullWidth
          variant="outlined"
          margin="dense"
          value={values.namespaces}
          onChange={event => onChange({ namespaces: event.target.value })}
          error={Boolean(errorFor('selector.namespaces'))}
          helperText={
            errorFor('selector.namespaces') ??
            'Comma-separated, e.g. payments, checkout'
          }
        />
      </Grid>
      <Grid item xs={12}>
        <TextField
          id="campaign-selector-labelSelector"
          name="selector.labelSelector"
          label="Pod label selector (optional)"
          fullWidth
          variant="outlined"
          margin="dense"
          value={values.labelSelector}
          onChange={event => onChange({ labelSelector: event.target.value })}
          error={Boolean(errorFor('selector.labelSelector'))}
          helperText={
            errorFor('selector.labelSelector') ??
            'Kubernetes syntax, e.g. app=web,tier!=db,env in (prod,staging)'
          }
        />
      </Grid>
      <Grid item xs={12}>
        <FormControlLabel
          control={
            <Checkbox
              id="campaign-selector-fleetWide"
              name="selector.fleetWide"
              checked={values.fleetWide}
              onChange={event => onChange({ fleetWide: event.target.checked })}
            />
          }
          label="Fleet-wide: I mean every pod running this container in the selected clusters"
        />
        {(errorFor('selector.fleetWide') || errorFor('selector')) && (
          <FormHelperText error>
            {errorFor('selector.fleetWide') ?? errorFor('selector')}
          </FormHelperText>
        )}
      </Grid>
    </Grid>
  );
}
