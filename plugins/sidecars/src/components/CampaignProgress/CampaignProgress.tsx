import { Box, LinearProgress, Typography } from '@material-ui/core';
import type { CampaignCounts } from '@internal/plugin-sidecars-common';

/** How far a campaign got: a bar of upgraded pods with the problem counts spelled out below. */
export function CampaignProgress(props: { counts?: CampaignCounts }) {
  const { counts } = props;
  if (!counts || counts.total === 0) {
    return (
      <Typography variant="caption" color="textSecondary">
        No pods selected yet
      </Typography>
    );
  }
  const upgradedPercent = (counts.upgraded / counts.total) * 100;
  const problems = [
    counts.failed > 0 ? `${counts.failed} failed` : '',
    counts.rolledBack > 0 ? `${counts.rolledBack} rolled back` : '',
    counts.skipped > 0 ? `${counts.skipped} skipped` : '',
    counts.notStarted > 0 ? `${counts.notStarted} not started` : '',
  ].filter(Boolean);
  const label = `${counts.upgraded} of ${counts.total} pods upgraded`;
  return (
    <Box minWidth={160}>
      <LinearProgress
        variant="determinate"
        value={upgradedPercent}
        color={counts.failed > 0 ? 'secondary' : 'primary'}
        aria-label={label}
      />
      <Typography variant="caption" color="textSecondary">
        {[label, ...problems].join(' · ')}
      </Typography>
    </Box>
  );
}
