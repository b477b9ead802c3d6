import {
  Checkbox,
  FormControlLabel,
  FormHelperText,
  Grid,
  InputAdornment,
  MenuItem,
  TextField,
} from '@material-ui/core';
import type { CampaignFormSectionProps } from './formModel';

/** An optional first, small batch that pauses or bakes before the rest of the fleet follows. */
export function CanarySection(props: CampaignFormSectionProps) {
  const { values, onChange, errorFor } = props;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <FormControlLabel
          control={
            <Checkbox
              id="campaign-strategy-canary"
              name="strategy.canary"
              checked={values.canaryEnabled}
              onChange={event =>
                onChange({ canaryEnabled: event.target.checked })
              }
            />
          }
          label="Start with a canary batch"
        />
        {errorFor('strategy.canary') && (
          <FormHelperText error>{errorFor('strategy.canary')}</FormHelperText>
        )}
      </Grid>
      {values.canaryEnabled && (
        <>
          <Grid item xs={12} sm={4}>
            <TextField
              id="campaign-strategy-canary-size"
              name="strategy.canary.size"
              label="Canary size"
              fullWidth
              variant="outlined"
              margin="dense"
              value={values.canarySize}
              onChange={event => onChange({ canarySize: event.target.value })}
              error={Boolean(errorFor('strategy.canary.size'))}
              helperText={
                errorFor('strategy.canary.size') ??
                'A pod count (1) or a percent (5%)'
              }
            />
          </Grid>
          <Grid item xs={12} sm={4}>
            <TextField
              select
              id="campaign-strategy-canary-then"
              name="strategy.canary.then"
              label="After the canary"
              fullWidth
              variant="outlined"
              margin="dense"
              value={values.canaryThen}
              onChange={event =>
                onChange({
                  canaryThen: event.target.value === 'bake' ? 'bake' : 'pause',
                })
              }
              error={Boolean(errorFor('strategy.canary.then'))}
              helperText={
                errorFor('strategy.canary.then') ??
                'Pause waits for someone to press Resume'
              }
            >
              <MenuItem value="pause">Pause for a manual resume</MenuItem>
              <MenuItem value="bake">Bake, then continue</MenuItem>
            </TextField>
          </Grid>
          {values.canaryThen === 'bake' && (
            <Grid item xs={12} sm={4}>
              <TextField
                id="campaign-strategy-canary-bakeSeconds"
                name="strategy.canary.bakeSeconds"
                label="Canary bake time"
                type="number"
                inputProps={{ min: 1, step: 1 }}
                InputProps={{
                  endAdornment: (
                    <InputAdornment position="end">s</InputAdornment>
                  ),
                }}
                fullWidth
                variant="outlined"
                margin="dense"
                value={values.canaryBakeSeconds}
                onChange={event =>
                  onChange({ canaryBakeSeconds: event.target.value })
                }
                error={Boolean(errorFor('strategy.canary.bakeSeconds'))}
                helperText={
                  errorFor('strategy.canary.bakeSeconds') ??
                  'Seconds to watch the canary, e.g. 600'
                }
              />
            </Grid>
          )}
        </>
      )}
    </Grid>
  );
}
