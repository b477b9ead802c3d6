import {
  Box,
  Checkbox,
  FormControlLabel,
  FormHelperText,
  Grid,
  IconButton,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import DeleteIcon from '@material-ui/icons/Delete';
import type { ClusterAvailability } from '@internal/plugin-sidecars-common';
import type { FieldErrorLookup } from './formModel';
import { WaveClustersField } from './WaveClustersField';
import type { WaveValues } from './wavesFormModel';

/** The gate before a wave after the first: an approval, a bake after the wave before it, or both. */
function WaveGateFields(props: {
  index: number;
  wave: WaveValues;
  onChange: (patch: Partial<WaveValues>) => void;
  errorFor: FieldErrorLookup;
}) {
  const { index, wave, onChange, errorFor } = props;
  const path = `waves.${index}.gate`;
  const id = `campaign-waves-${index}-gate`;
  const gateError = errorFor(path) ?? errorFor(`${path}.approval`);
  return (
    <>
      <Grid item xs={12} sm={5}>
        <FormControlLabel
          control={
            <Checkbox
              id={`${id}-approval`}
              name={`${path}.approval`}
              checked={wave.approval}
              onChange={event => onChange({ approval: event.target.checked })}
            />
          }
          label="Wait for approval before this wave"
        />
        {gateError && <FormHelperText error>{gateError}</FormHelperText>}
      </Grid>
      <Grid item xs={8} sm={4}>
        <TextField
          id={`${id}-bakeSeconds`}
          name={`${path}.bakeSeconds`}
          label="Bake before this wave"
          type="number"
          inputProps={{ min: 0, step: 1 }}
          fullWidth
          variant="outlined"
          margin="dense"
          value={wave.bake}
          onChange={event => onChange({ bake: event.target.value })}
          error={Boolean(errorFor(`${path}.bakeSeconds`))}
          helperText={
            errorFor(`${path}.bakeSeconds`) ??
            'Watch the wave before after it completes; empty for none'
          }
        />
      </Grid>
      <Grid item xs={4} sm={3}>
        <TextField
          select
          id={`${id}-bakeUnit`}
          label="Unit"
          fullWidth
          variant="outlined"
          margin="dense"
          value={wave.bakeUnit}
          onChange={event =>
            onChange({
              bakeUnit:
                event.target.value === 'seconds' ? 'seconds' : 'minutes',
            })
          }
        >
          <MenuItem value="minutes">minutes</MenuItem>
          <MenuItem value="seconds">seconds</MenuItem>
        </TextField>
      </Grid>
    </>
  );
}

/** One wave's inputs: its gate (after the first), name, clusters and max unavailable override. */
export function WaveFields(props: {
  index: number;
  wave: WaveValues;
  onChange: (patch: Partial<WaveValues>) => void;
  onRemove: () => void;
  errorFor: FieldErrorLookup;
  configuredClusters: readonly ClusterAvailability[];
  loadingClusters: boolean;
}) {
  const { index, wave, onChange, onRemove, errorFor } = props;
  const path = `waves.${index}`;
  const id = `campaign-waves-${index}`;
  const waveError = errorFor(path) ?? errorFor(`${path}.strategy`);
  return (
    <Box mt={1}>
      <Grid container spacing={1} role="group" aria-label={`Wave ${index + 1}`}>
        <Grid item xs={12}>
          <Box
            display="flex"
            alignItems="center"
            justifyContent="space-between"
          >
            <Typography variant="subtitle2" component="h4">
              Wave {index + 1}
              {index === 0 ? ': starts with the campaign' : ''}
            </Typography>
            <IconButton
              aria-label={`Remove wave ${index + 1}`}
              size="small"
              onClick={onRemove}
            >
              <DeleteIcon fontSize="small" />
            </IconButton>
          </Box>
          {waveError && <FormHelperText error>{waveError}</FormHelperText>}
        </Grid>
        {index > 0 && (
          <WaveGateFields
            index={index}
            wave={wave}
            onChange={onChange}
            errorFor={errorFor}
          />
        )}
        <Grid item xs={12} sm={3}>
          <TextField
            id={`${id}-name`}
            name={`${path}.name`}
            label="Wave name"
            required
            fullWidth
            variant="outlined"
            margin="dense"
            value={wave.name}
            onChange={event => onChange({ name: event.target.value })}
            error={Boolean(errorFor(`${path}.name`))}
            helperText={errorFor(`${path}.name`) ?? 'e.g. staging, prod-eu'}
          />
        </Grid>
        <Grid item xs={12} sm={6}>
          <WaveClustersField
            id={`${id}-clusters`}
            name={`${path}.clusters`}
            value={wave.clusters}
            onChange={clusters => onChange({ clusters })}
            configured={props.configuredClusters}
            loading={props.loadingClusters}
            error={errorFor(`${path}.clusters`)}
          />
        </Grid>
        <Grid item xs={12} sm={3}>
          <TextField
            id={`${id}-strategy-maxUnavailable`}
            name={`${path}.strategy.maxUnavailable`}
            label="Max unavailable in this wave"
            fullWidth
            variant="outlined"
            margin="dense"
            value={wave.maxUnavailable}
            onChange={event => onChange({ maxUnavailable: event.target.value })}
            error={Boolean(errorFor(`${path}.strategy.maxUnavailable`))}
            helperText={
              errorFor(`${path}.strategy.maxUnavailable`) ??
              "Per cluster; empty for the campaign's"
            }
          />
        </Grid>
      </Grid>
    </Box>
  );
}
