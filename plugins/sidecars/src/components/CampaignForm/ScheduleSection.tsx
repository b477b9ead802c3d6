import { Grid, TextField } from '@material-ui/core';
import type { CampaignFormSectionProps } from './formModel';
import { MaintenanceWindowsField } from './MaintenanceWindowsField';

/** When: an optional earliest start and maintenance windows. */
export function ScheduleSection(props: CampaignFormSectionProps) {
  const { values, onChange, errorFor } = props;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} sm={6}>
        <TextField
          id="campaign-schedule-notBefore"
          name="schedule.notBefore"
          label="Not before (optional)"
          type="datetime-local"
          fullWidth
          variant="outlined"
          margin="dense"
          InputLabelProps={{ shrink: true }}
          value={values.notBefore}
          onChange={event => onChange({ notBefore: event.target.value })}
          error={Boolean(errorFor('schedule.notBefore'))}
          helperText={
            errorFor('schedule.notBefore') ??
            'Your local time; empty to start at once'
          }
        />
      </Grid>
      <Grid item xs={12}>
        <MaintenanceWindowsField
          windows={values.windows}
          onChange={windows => onChange({ windows })}
          errorFor={errorFor}
        />
      </Grid>
    </Grid>
  );
}
