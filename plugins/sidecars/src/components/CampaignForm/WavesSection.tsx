import {
  Box,
  Button,
  Divider,
  FormControlLabel,
  FormHelperText,
  Switch,
  Typography,
} from '@material-ui/core';
import AddIcon from '@material-ui/icons/Add';
import {
  WAVE_LIMITS,
  type ClusterAvailability,
} from '@internal/plugin-sidecars-common';
import type { CampaignFormSectionProps } from './formModel';
import { listOrUndefined } from './typedValues';
import { WaveFields } from './WaveFields';
import { newWave, type WaveValues } from './wavesFormModel';

/** A fleet campaign in ordered waves, each over its own clusters, with a gate between waves. */
export function WavesSection(
  props: CampaignFormSectionProps & {
    configuredClusters: readonly ClusterAvailability[];
    loadingClusters: boolean;
  },
) {
  const { values, onChange, errorFor } = props;
  const { waves } = values;
  const update = (index: number, patch: Partial<WaveValues>) =>
    onChange({
      waves: waves.map((wave, i) =>
        i === index ? { ...wave, ...patch } : wave,
      ),
    });
  const turn = (on: boolean) =>
    onChange(
      on && waves.length === 0
        ? {
            wavesEnabled: true,
            // The first wave starts with the clusters typed in the selector, if any.
            waves: [newWave(0, listOrUndefined(values.clusters))],
          }
        : { wavesEnabled: on },
    );
  return (
    <Box>
      <FormControlLabel
        control={
          <Switch
            id="campaign-waves"
            name="waves"
            checked={values.wavesEnabled}
            onChange={event => turn(event.target.checked)}
          />
        }
        label="Upgrade in waves: one group of clusters after another"
      />
      <Typography variant="body2" color="textSecondary">
        {values.wavesEnabled
          ? 'Each wave upgrades its clusters in parallel, one child workflow per cluster, and starts once the wave before it has completed and its gate has passed. A failure past the budget stops the later waves; a rollback undoes the waves last first.'
          : 'Off: one wave over the selected clusters.'}
      </Typography>
      {errorFor('waves') && (
        <FormHelperText error>{errorFor('waves')}</FormHelperText>
      )}
      {values.wavesEnabled && (
        <>
          {waves.map((wave, index) => (
            <Box key={index}>
              {index > 0 && <Divider />}
              <WaveFields
                index={index}
                wave={wave}
                onChange={patch => update(index, patch)}
                onRemove={() =>
                  onChange({ waves: waves.filter((_, i) => i !== index) })
                }
                errorFor={errorFor}
                configuredClusters={props.configuredClusters}
                loadingClusters={props.loadingClusters}
              />
            </Box>
          ))}
          <Button
            startIcon={<AddIcon />}
            disabled={waves.length >= WAVE_LIMITS.waves}
            onClick={() =>
              onChange({ waves: [...waves, newWave(waves.length)] })
            }
          >
            Add wave
          </Button>
        </>
      )}
    </Box>
  );
}
