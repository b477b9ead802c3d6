import type { LoadedDataConverter } from '@temporalio/common';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import {
  pendingCount,
  type ActivityProgress,
  type CampaignStatus,
  type ReportedActivity,
} from '@internal/plugin-sidecars-common';

type PendingActivity = temporal.api.workflow.v1.IPendingActivityInfo;

const STAGES: ReadonlyArray<ActivityProgress['stage']> = [
  'selecting',
  'holding',
  'releasing',
  'rolling',
  'settling',
];

const NOTHING_COUNTED = { upgraded: 0, failed: 0, skipped: 0 };

/** Heartbeats of workers from before progress was reported this way have no known stage and are left out. */
const isActivityProgress = (value: unknown): value is ActivityProgress =>
  typeof value === 'object' &&
  value !== null &&
  STAGES.includes((value as { stage?: unknown }).stage as never);

/** What the workflow's running activity last reported in its heartbeat (the latest one, should several run). */
export async function reportedActivityOf(
  pending: readonly PendingActivity[] | null | undefined,
  converter: LoadedDataConverter,
): Promise<ReportedActivity | undefined> {
  const latest = (pending ?? [])
    .map(activity => ({
      activity,
      at: optionalTsToDate(activity.lastHeartbeatTime),
    }))
    .filter(({ activity, at }) => at && activity.heartbeatDetails?.payloads)
    .sort((a, b) => b.at!.getTime() - a.at!.getTime())[0];
  if (!latest) return undefined;
  const progress = await decodeFromPayloadsAtIndex<unknown>(
    converter,
    0,
    latest.activity.heartbeatDetails!.payloads,
  );
  return isActivityProgress(progress)
    ? { progress, reportedAt: latest.at!.toISOString() }
    : undefined;
}

type Progressing = Pick<
  CampaignStatus,
  'counts' | 'totalBatches' | 'rollingWindow'
>;

/**
 * The status with what the activity reported: a rolling window's pods are counted in (the workflow
 * counts a window only when it ends, and during its first window it has not recorded the plan yet).
 */
export function withReportedActivity<T extends Progressing>(
  status: T,
  reported: ReportedActivity | undefined,
): T & { activity?: ReportedActivity } {
  if (!reported) return status;
  const { progress } = reported;
  if (progress.stage !== 'rolling') return { ...status, activity: reported };
  const window = status.rollingWindow;
  const counted =
    window?.fromBatch === progress.fromBatch &&
    window.toBatch === progress.toBatch
      ? window.counted
      : NOTHING_COUNTED;
  const counts = { ...status.counts };
  counts.upgraded += (progress.states.upgraded ?? 0) - counted.upgraded;
  counts.failed += (progress.states.failed ?? 0) - counted.failed;
  counts.skipped += (progress.states.skipped ?? 0) - counted.skipped;
  let { totalBatches } = status;
  if (progress.plan && counts.total === 0) {
    counts.total = progress.plan.selected;
    counts.skipped += progress.plan.skipped;
    totalBatches = progress.plan.totalBatches;
  }
  counts.pending = pendingCount(counts);
  return { ...status, counts, totalBatches, activity: reported };
}
