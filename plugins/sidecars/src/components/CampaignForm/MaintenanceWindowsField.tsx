import {
  Box,
  Button,
  FormHelperText,
  Grid,
  IconButton,
  InputAdornment,
  TextField,
  Typography,
} from '@material-ui/core';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import type { FieldErrorLookup, MaintenanceWindowValues } from './formModel';
import { newMaintenanceWindow } from './formModel';

/** The maintenance windows a campaign may patch pods in; none means any time. */
export function MaintenanceWindowsField(props: {
  windows: MaintenanceWindowValues[];
  onChange: (windows: MaintenanceWindowValues[]) => void;
  errorFor: FieldErrorLookup;
}) {
  const { windows, onChange, errorFor } = props;
  const update = (index: number, patch: Partial<MaintenanceWindowValues>) =>
    onChange(
      windows.map((window, i) =>
        i === index ? { ...window, ...patch } : window,
      ),
    );
  const remove = (index: number) =>
    onChange(windows.filter((_, i) => i !== index));

  return (
    <Box>
      <Typography variant="subtitle2">Maintenance windows</Typography>
      <Typography variant="body2" color="textSecondary">
        {windows.length === 0
          ? 'None: batches may run at any time. Add a window to patch pods only then.'
          : 'Batches start only while a window is open; a campaign waits for the next one.'}
      </Typography>
      {errorFor('schedule.windows') && (
        <FormHelperText error>{errorFor('schedule.windows')}</FormHelperText>
      )}
      {windows.map((window, index) => {
        const path = `schedule.windows.${index}`;
        return (
          <Grid
            container
            spacing={2}
            key={index}
            alignItems="flex-start"
            role="group"
            aria-label={`Window ${index + 1}`}
          >
            <Grid item xs={12} sm={4}>
              <TextField
                id={`campaign-${path.replace(/\./g, '-')}-cron`}
                name={`${path}.cron`}
                label="Opens at (cron)"
                fullWidth
                variant="outlined"
                margin="dense"
                value={window.cron}
                onChange={event => update(index, { cron: event.target.value })}
                error={Boolean(errorFor(`${path}.cron`))}
                helperText={
                  errorFor(`${path}.cron`) ??
                  'minute hour day month weekday, e.g. 0 22 * * 1-5'
                }
              />
            </Grid>
            <Grid item xs={12} sm={3}>
              <TextField
                id={`campaign-${path.replace(/\./g, '-')}-durationMinutes`}
                name={`${path}.durationMinutes`}
                label="Length"
                type="number"
                inputProps={{ min: 1, step: 1 }}
                InputProps={{
                  endAdornment: (
                    <InputAdornment position="end">min</InputAdornment>
                  ),
                }}
                fullWidth
                variant="outlined"
                margin="dense"
                value={window.durationMinutes}
                onChange={event =>
                  update(index, { durationMinutes: event.target.value })
                }
                error={Boolean(errorFor(`${path}.durationMinutes`))}
                helperText={
                  errorFor(`${path}.durationMinutes`) ??
                  'Minutes the window stays open'
                }
              />
            </Grid>
            <Grid item xs={10} sm={4}>
              <TextField
                id={`campaign-${path.replace(/\./g, '-')}-timeZone`}
                name={`${path}.timeZone`}
                label="Time zone"
                fullWidth
                variant="outlined"
                margin="dense"
                value={window.timeZone}
                onChange={event =>
                  update(index, { timeZone: event.target.value })
                }
                error={Boolean(errorFor(`${path}.timeZone`))}
                helperText={
                  errorFor(`${path}.timeZone`) ??
                  'IANA name, e.g. Europe/Berlin'
                }
              />
            </Grid>
            <Grid item xs={2} sm={1}>
              <IconButton
                aria-label={`Remove window ${index + 1}`}
                onClick={() => remove(index)}
              >
                <DeleteIcon />
              </IconButton>
            </Grid>
          </Grid>
        );
      })}
      <Button
        size="small"
        startIcon={<AddIcon />}
        onClick={() => onChange([...windows, newMaintenanceWindow()])}
      >
        Add window
      </Button>
    </Box>
  );
}
