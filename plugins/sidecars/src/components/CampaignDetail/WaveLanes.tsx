import { InfoCard } from '@backstage/core-components';
import {
  Box,
  Button,
  Chip,
  Divider,
  Tooltip,
  Typography,
} from '@material-ui/core';
import type {
  WaveGateStatus,
  WaveLaneStatus,
  WaveStatus,
} from '@internal/plugin-sidecars-common';
import { formatActor, formatTime } from '../../format';
import { CampaignPhaseStatus } from '../CampaignPhaseStatus';
import { CampaignProgress } from '../CampaignProgress';

const WAVE_WORDS: Record<WaveStatus['state'], string> = {
  pending: 'not started',
  gated: 'at its gate',
  running: 'running',
  completed: 'completed',
  stopped: 'stopped',
  'rolling-back': 'rolling back',
  'rolled-back': 'rolled back',
};

function describeGate(gate: WaveGateStatus): string {
  const parts = [
    gate.bakeSeconds > 0 ? `bake ${gate.bakeSeconds} s` : '',
    gate.approval ? 'approval' : '',
  ].filter(Boolean);
  const what = `Gate: ${parts.join(', then ')}`;
  if (gate.state === 'baking' && gate.bakeUntil)
    return `${what} · baking until ${formatTime(gate.bakeUntil)}`;
  if (gate.state === 'awaiting-approval')
    return `${what} · waiting for approval`;
  if (gate.state === 'passed')
    return gate.approvedBy
      ? `${what} · approved by ${formatActor(gate.approvedBy)}${gate.approvedAt ? ` at ${formatTime(gate.approvedAt)}` : ''}`
      : `${what} · passed`;
  return what;
}

function Lane(props: { lane: WaveLaneStatus }) {
  const { lane } = props;
  const batch =
    lane.totalBatches && lane.totalBatches > 0
      ? `batch ${Math.min((lane.currentBatch ?? lane.totalBatches - 1) + 1, lane.totalBatches)} of ${lane.totalBatches}`
      : '';
  return (
    <Box
      display="flex"
      alignItems="center"
      gridGap={16}
      py={1}
      aria-label={`lane ${lane.cluster}`}
      role="group"
    >
      <Box width={160}>
        <Typography variant="body2">
          <strong>{lane.cluster}</strong>
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {batch}
        </Typography>
      </Box>
      <Box width={140}>
        {lane.phase ? (
          <CampaignPhaseStatus phase={lane.phase} />
        ) : (
          <Typography variant="body2" color="textSecondary">
            Not started
          </Typography>
        )}
      </Box>
      <Box flexGrow={1}>
        {lane.phase && <CampaignProgress counts={lane.counts} />}
        {(lane.pausedReason ?? lane.phaseReason) && (
          <Typography variant="caption" display="block" color="textSecondary">
            {lane.phase === 'Paused' ? lane.pausedReason : lane.phaseReason}
          </Typography>
        )}
      </Box>
    </Box>
  );
}

/** One lane per wave and cluster, in wave order, with each gate between waves and its approve control. */
export function WaveLanes(props: {
  waves: WaveStatus[];
  /** Set when the user may approve the gate that waits: opens the approve confirmation. */
  onApprove?: () => void;
}) {
  const { waves, onApprove } = props;
  return (
    <InfoCard title="Waves">
      {waves.map((wave, index) => (
        <Box key={wave.name} mb={index < waves.length - 1 ? 2 : 0}>
          {wave.gate && (
            <Box
              display="flex"
              alignItems="center"
              gridGap={16}
              mb={1}
              role="group"
              aria-label={`gate before wave ${wave.name}`}
            >
              <Typography variant="body2" color="textSecondary">
                {describeGate(wave.gate)}
              </Typography>
              {wave.gate.state === 'awaiting-approval' && (
                // A disabled button gets no pointer events: the span shows why it is disabled.
                <Tooltip
                  title={
                    onApprove
                      ? `Start wave ${wave.name}`
                      : 'Only the owners of the campaign and the platform team may approve'
                  }
                >
                  <span>
                    <Button
                      variant="contained"
                      color="primary"
                      size="small"
                      disabled={!onApprove}
                      onClick={onApprove}
                    >
                      Approve wave {wave.name}
                    </Button>
                  </span>
                </Tooltip>
              )}
            </Box>
          )}
          <Box display="flex" alignItems="center" gridGap={8}>
            <Typography variant="subtitle1">
              Wave {index + 1}: {wave.name}
            </Typography>
            <Chip size="small" label={WAVE_WORDS[wave.state]} />
          </Box>
          {wave.lanes.map(lane => (
            <Lane key={lane.campaignId} lane={lane} />
          ))}
          {index < waves.length - 1 && <Divider />}
        </Box>
      ))}
    </InfoCard>
  );
}
