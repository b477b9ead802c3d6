import type { NotificationSeverity } from '@backstage/plugin-notifications-common';
import type { CampaignChange } from './changeFeed';

/** A change an owner is told of. */
export interface CampaignMilestone {
  /** What happened, e.g. "paused" or "2 pods failed"; follows the campaign's name in the title. */
  headline: string;
  /** Why, when the campaign recorded a reason. */
  reason?: string;
  severity: NotificationSeverity;
}

const reasonOf = (text: string | undefined) => (text ? { reason: text } : {});

/** The workflow's record of its last batch, e.g. "batch 3/5: 2 upgraded, 1 failed". */
const lastBatchEvent = (change: CampaignChange) =>
  change.current.recorded?.events.findLast(event => event.type === 'batch')
    ?.message;

/**
 * The milestone a change is, if any: the campaign started, paused (with its reason), needs approval
 * at a wave gate, ran again,
 * waits for a maintenance window, failed pods in a batch, rolls or rolled back, completed, failed
 * or was aborted. A change of counts alone (a batch upgraded) is not one.
 */
export function milestoneOf(
  change: CampaignChange,
): CampaignMilestone | undefined {
  const { previous, current } = change;
  const phase = current.summary.phase;
  const before = previous?.summary.phase ?? 'Scheduled';
  const recorded = current.recorded;
  const newlyFailed =
    (current.summary.counts?.failed ?? 0) -
    (previous?.summary.counts?.failed ?? 0);
  if (phase === before) {
    return newlyFailed > 0
      ? {
          headline: `${newlyFailed} pod(s) failed`,
          ...reasonOf(lastBatchEvent(change)),
          severity: 'high',
        }
      : undefined;
  }
  const gated = recorded?.waves?.find(
    wave => wave.gate?.state === 'awaiting-approval',
  );
  switch (phase) {
    case 'Running':
      if (before === 'Paused' || recorded?.phaseReason)
        return {
          headline: 'running again',
          ...reasonOf(recorded?.phaseReason),
          severity: 'normal',
        };
      return { headline: 'started', severity: 'normal' };
    case 'Scheduled':
      return {
        headline: 'waiting',
        ...reasonOf(recorded?.phaseReason),
        severity: 'low',
      };
    case 'Paused':
      if (gated)
        return {
          headline: `needs approval to start wave "${gated.name}"`,
          ...reasonOf(recorded?.pausedReason),
          severity: 'high',
        };
      return {
        headline: 'paused',
        ...reasonOf(recorded?.pausedReason ?? recorded?.phaseReason),
        severity: 'high',
      };
    case 'RollingBack':
      return {
        headline: 'rolling back',
        ...reasonOf(recorded?.phaseReason),
        severity: 'high',
      };
    case 'RolledBack':
      return {
        headline: 'rolled back',
        ...reasonOf(recorded?.phaseReason),
        severity: 'high',
      };
    case 'Completed':
      return {
        headline: 'completed',
        ...reasonOf(recorded?.phaseReason),
        severity: 'normal',
      };
    case 'Failed':
      return {
        headline: 'failed',
        ...reasonOf(recorded?.phaseReason),
        severity: 'critical',
      };
    case 'Aborted':
      return {
        headline: 'aborted',
        ...reasonOf(recorded?.phaseReason),
        severity: 'normal',
      };
    default:
      return undefined;
  }
}
