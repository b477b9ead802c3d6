import { Typography } from '@material-ui/core';
import type { SidecarAccountingResponse } from '@internal/plugin-sidecars-common';
import { pluralize } from '../../format';
import { formatBytes, formatCores, formatPercent } from './accountingFormat';

/** What the sidecar costs the whole fleet, in one sentence. */
export function CostSummary(props: { accounting: SidecarAccountingResponse }) {
  const { container, fleet } = props.accounting;
  return (
    <Typography variant="body1" gutterBottom>
      {container} runs in {pluralize(fleet.pods, 'pod')} and requests{' '}
      <strong>{formatCores(fleet.requests.cpuCores)}</strong> CPU and{' '}
      <strong>{formatBytes(fleet.requests.memoryBytes)}</strong> memory:{' '}
      <strong>{formatPercent(fleet.shareOfRequests.cpu)}</strong> of all CPU and{' '}
      <strong>{formatPercent(fleet.shareOfRequests.memory)}</strong> of all
      memory requested in the fleet.
    </Typography>
  );
}
