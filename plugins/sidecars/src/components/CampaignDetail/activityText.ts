import type {
  ActivityProgress,
  ReportedActivity,
} from '@internal/plugin-sidecars-common';
import { formatTime } from '../../format';

const STOPPING_TEXT = {
  budget:
    'stopped starting pods: the failure budget is spent; waiting for those in flight',
  cancelled: 'stopped starting pods; waiting for those in flight',
} as const;

function progressText(progress: ActivityProgress): string {
  if (progress.stage === 'selecting')
    return `Selecting pods: ${progress.listed.toLocaleString()} listed in ${progress.cluster}`;
  if (progress.stage === 'holding')
    return `Holding the planned pods: ${progress.held.toLocaleString()} held`;
  if (progress.stage === 'releasing')
    return `Letting go of the pods: ${progress.released.toLocaleString()} released, ${progress.counted.toLocaleString()} upgraded counted`;
  if (progress.stage === 'settling')
    return `${progress.inFlight.toLocaleString()} of ${progress.targets.toLocaleString()} pods in flight`;
  const batches =
    progress.toBatch - progress.fromBatch === 1
      ? `Batch ${progress.toBatch}`
      : `Batches ${progress.fromBatch + 1}–${progress.toBatch}`;
  const stopping = progress.stopping
    ? `; ${STOPPING_TEXT[progress.stopping]}`
    : '';
  return `${batches} rolling: ${progress.inFlight.toLocaleString()} pods in flight${stopping}`;
}

/** What the worker is doing, as its last heartbeat said, e.g. "Batches 1–20 rolling: 500 pods in flight (reported …)". */
export function activityText({
  progress,
  reportedAt,
}: ReportedActivity): string {
  return `${progressText(progress)} (reported ${formatTime(reportedAt)})`;
}
