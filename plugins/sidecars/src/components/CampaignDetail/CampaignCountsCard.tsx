import { InfoCard } from '@backstage/core-components';
import { Box, Grid, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { CampaignStatus } from '@internal/plugin-sidecars-common';
import { CampaignProgress } from '../CampaignProgress';
import { formatTime } from '../../format';
import { activityText } from './activityText';

function Count(props: { label: string; value: number }) {
  return (
    <Grid item xs={4} sm={2}>
      <Typography
        variant="h5"
        component="p"
        aria-label={`${props.label}: ${props.value}`}
      >
        {props.value}
      </Typography>
      <Typography variant="caption" color="textSecondary">
        {props.label}
      </Typography>
    </Grid>
  );
}

/** Where the campaign is: its batch, or for a campaign in waves its wave. */
function stepText(status: CampaignStatus): string {
  const { waves, currentBatch, totalBatches } = status;
  if (waves) {
    const current = waves.findIndex(wave =>
      ['gated', 'running', 'rolling-back'].includes(wave.state),
    );
    const completed = waves.filter(wave => wave.state === 'completed').length;
    return current >= 0
      ? `Wave ${current + 1} of ${waves.length}: ${waves[current]!.name}`
      : `${completed} of ${waves.length} waves completed`;
  }
  return currentBatch === null
    ? `${totalBatches} batches planned`
    : `Batch ${currentBatch + 1} of ${totalBatches}`;
}

/** Pod counts, the current batch or wave, what the worker is doing now, and why the campaign is frozen, paused or ended, if it is. */
export function CampaignCountsCard(props: { status: CampaignStatus }) {
  const { counts, pausedReason, phaseReason, frozen, waves, activity } =
    props.status;
  // Pods of waves that have not started are not counted yet.
  const unstartedWaves = waves?.some(
    wave => wave.state === 'pending' || wave.state === 'gated',
  );
  return (
    <InfoCard title="Progress" subheader={stepText(props.status)}>
      <CampaignProgress counts={counts} />
      {activity && (
        <Typography variant="body2" color="textSecondary">
          {activityText(activity)}
        </Typography>
      )}
      <Box mt={2}>
        <Grid container spacing={2}>
          <Count
            label={unstartedWaves ? 'Pods in started waves' : 'Total pods'}
            value={counts.total}
          />
          <Count label="Upgraded" value={counts.upgraded} />
          <Count label="Failed" value={counts.failed} />
          <Count label="Rolled back" value={counts.rolledBack} />
          <Count label="Skipped" value={counts.skipped} />
          {counts.notStarted > 0 ? (
            <Count label="Not started" value={counts.notStarted} />
          ) : (
            <Count label="Pending" value={counts.pending} />
          )}
        </Grid>
      </Box>
      {frozen ? (
        <Box mt={2}>
          <Alert severity="info">
            Frozen until {formatTime(frozen.until)} ({frozen.name}): no batch
            starts during the freeze; the campaign resumes on its own when it
            ends.
          </Alert>
        </Box>
      ) : (
        (pausedReason || phaseReason) && (
          <Box mt={2}>
            <Alert severity={pausedReason ? 'warning' : 'info'}>
              {pausedReason ?? phaseReason}
            </Alert>
          </Box>
        )
      )}
    </InfoCard>
  );
}
