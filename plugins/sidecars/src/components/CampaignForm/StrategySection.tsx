import {
  FormControl,
  FormControlLabel,
  FormHelperText,
  FormLabel,
  Grid,
  InputAdornment,
  Radio,
  RadioGroup,
  Switch,
  TextField,
} from '@material-ui/core';
import {
  effectivePacing,
  MODE_CHOICES,
  rollingAllowed,
  type CampaignFormSectionProps,
} from './formModel';

/** How fast and how carefully: mode, batch size, bake time, health timeout and what a failure does. */
export function StrategySection(props: CampaignFormSectionProps) {
  const { values, onChange, errorFor } = props;
  const secondsAdornment = {
    endAdornment: <InputAdornment position="end">s</InputAdornment>,
  };
  const pacing = effectivePacing(values);
  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <FormControl component="fieldset" error={Boolean(errorFor('mode'))}>
          <FormLabel component="legend">Mode</FormLabel>
          <RadioGroup
            row
            id="campaign-mode"
            name="mode"
            value={values.mode}
            onChange={event =>
              onChange({
                mode:
                  MODE_CHOICES.find(c => c.mode === event.target.value)?.mode ??
                  'in-place',
              })
            }
          >
            {MODE_CHOICES.map(choice => (
              <FormControlLabel
                key={choice.mode}
                value={choice.mode}
                control={<Radio />}
                label={choice.label}
              />
            ))}
          </RadioGroup>
          <FormHelperText id="campaign-mode-explanation">
            {errorFor('mode') ??
              MODE_CHOICES.find(c => c.mode === values.mode)?.explanation}
          </FormHelperText>
        </FormControl>
      </Grid>
      <Grid item xs={12}>
        <FormControl
          component="fieldset"
          error={Boolean(errorFor('strategy.pacing'))}
        >
          <FormLabel component="legend">Pacing</FormLabel>
          <RadioGroup
            id="campaign-strategy-pacing"
            name="strategy.pacing"
            value={pacing}
            onChange={event =>
              onChange(
                event.target.value === 'rolling'
                  ? { pacing: 'rolling', bakeSeconds: '0' }
                  : { pacing: 'batches' },
              )
            }
          >
            <FormControlLabel
              value="rolling"
              disabled={!rollingAllowed(values)}
              control={<Radio />}
              label="Rolling (fastest: a new pod starts as soon as one finishes)"
            />
            <FormControlLabel
              value="batches"
              control={<Radio />}
              label="Batches (each batch waits for its slowest pod; needed for bake between batches)"
            />
          </RadioGroup>
          <FormHelperText>
            {errorFor('strategy.pacing') ??
              (rollingAllowed(values)
                ? 'Either way, never more than max unavailable pods are down at once; a canary batch still runs alone first'
                : 'Workload restarts run in batches: each rollout takes several pods down at once')}
          </FormHelperText>
        </FormControl>
      </Grid>
      <Grid item xs={12} sm={6}>
        <TextField
          id="campaign-strategy-maxUnavailable"
          name="strategy.maxUnavailable"
          label="Max unavailable"
          fullWidth
          variant="outlined"
          margin="dense"
          value={values.maxUnavailable}
          onChange={event => onChange({ maxUnavailable: event.target.value })}
          error={Boolean(errorFor('strategy.maxUnavailable'))}
          helperText={
            errorFor('strategy.maxUnavailable') ??
            'Pods upgrading at once: a count (5) or a percent of the selected pods (10%)'
          }
        />
      </Grid>
      <Grid item xs={12} sm={6}>
        <TextField
          id="campaign-strategy-bakeSeconds"
          name="strategy.bakeSeconds"
          label="Bake time between batches"
          type="number"
          inputProps={{ min: 0, step: 1 }}
          InputProps={secondsAdornment}
          fullWidth
          variant="outlined"
          margin="dense"
          value={values.bakeSeconds}
          // Only a chosen rolling pacing locks it: a field emptied while typing must stay editable.
          disabled={pacing === 'rolling' && values.pacing === 'rolling'}
          onChange={event => onChange({ bakeSeconds: event.target.value })}
          error={Boolean(errorFor('strategy.bakeSeconds'))}
          helperText={
            errorFor('strategy.bakeSeconds') ??
            (pacing === 'rolling'
              ? 'No bake under rolling pacing: there are no batches to wait between'
              : 'Seconds to watch a finished batch before starting the next')
          }
        />
      </Grid>
      <Grid item xs={12} sm={6}>
        <TextField
          id="campaign-strategy-healthTimeoutSeconds"
          name="strategy.healthTimeoutSeconds"
          label="Health timeout per pod"
          type="number"
          inputProps={{ min: 5, step: 1 }}
          InputProps={secondsAdornment}
          fullWidth
          variant="outlined"
          margin="dense"
          value={values.healthTimeoutSeconds}
          onChange={event =>
            onChange({ healthTimeoutSeconds: event.target.value })
          }
          error={Boolean(errorFor('strategy.healthTimeoutSeconds'))}
          helperText={
            errorFor('strategy.healthTimeoutSeconds') ??
            'Seconds a pod has to run the new image and be Ready before it counts as failed'
          }
        />
      </Grid>
      <Grid item xs={12} sm={6}>
        <TextField
          id="campaign-strategy-failureBudget"
          name="strategy.failureBudget"
          label="Failure budget"
          fullWidth
          variant="outlined"
          margin="dense"
          value={values.failureBudget}
          onChange={event => onChange({ failureBudget: event.target.value })}
          error={Boolean(errorFor('strategy.failureBudget'))}
          helperText={
            errorFor('strategy.failureBudget') ??
            'Failed pods tolerated before the campaign stops: a count (0) or a percent (2%)'
          }
        />
      </Grid>
      <Grid item xs={12}>
        <FormControlLabel
          control={
            <Switch
              id="campaign-strategy-onFailure"
              name="strategy.onFailure"
              checked={values.rollbackOnFailure}
              onChange={event =>
                onChange({ rollbackOnFailure: event.target.checked })
              }
            />
          }
          label={
            values.rollbackOnFailure
              ? 'When the failure budget is spent, roll every upgraded pod back to its previous image'
              : 'When the failure budget is spent, pause and wait for a decision'
          }
        />
        {errorFor('strategy.onFailure') && (
          <FormHelperText error>
            {errorFor('strategy.onFailure')}
          </FormHelperText>
        )}
      </Grid>
    </Grid>
  );
}
