import { Grid, TextField } from '@material-ui/core';
import type { FleetResponse } from '@internal/plugin-sidecars-common';
import type { CampaignFormSectionProps } from './formModel';
import { TargetImageField } from './TargetImageField';

/** What to upgrade: the campaign's name, the sidecar container and the image to roll out. */
export function TargetSection(
  props: CampaignFormSectionProps & {
    fleet?: FleetResponse;
    loadingFleet: boolean;
    lockContainer: boolean;
    currentVersions?: readonly string[];
  },
) {
  const {
    values,
    onChange,
    errorFor,
    fleet,
    loadingFleet,
    lockContainer,
    currentVersions,
  } = props;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} sm={6}>
        <TextField
          id="campaign-container"
          name="container"
          label="Sidecar container"
          required
          fullWidth
          variant="outlined"
          margin="dense"
          value={values.container}
          onChange={event => onChange({ container: event.target.value })}
          InputProps={{ readOnly: lockContainer }}
          error={Boolean(errorFor('container'))}
          helperText={
            errorFor('container') ??
            'The container name as in the pod spec, e.g. istio-proxy'
          }
        />
      </Grid>
      <Grid item xs={12} sm={6}>
        <TextField
          id="campaign-name"
          name="name"
          label="Campaign name (optional)"
          fullWidth
          variant="outlined"
          margin="dense"
          value={values.name}
          onChange={event => onChange({ name: event.target.value })}
          error={Boolean(errorFor('name'))}
          helperText={
            errorFor('name') ??
            'Shown in the campaign list, e.g. "istio-proxy 1.24 rollout"'
          }
        />
      </Grid>
      <Grid item xs={12}>
        <TargetImageField
          value={values.targetImage}
          onChange={targetImage => onChange({ targetImage })}
          fleetVersions={fleet?.versions ?? []}
          newestVersion={fleet?.newestVersion}
          currentVersions={currentVersions}
          loadingVersions={loadingFleet}
          error={errorFor('targetImage')}
        />
      </Grid>
    </Grid>
  );
}
