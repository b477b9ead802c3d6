import type { PodState } from '@internal/plugin-sidecars-common';

/** What the rolling scheduler knows of one pod of the campaign. */
export interface ScheduledPod {
  key: string;
  /** The batch the claim planned it in; undefined for a pod the campaign does not hold (partitioned, released). */
  batch: number | undefined;
  state: PodState | undefined;
  /** A start was sent for it and has not answered yet: it counts as in flight. */
  starting: boolean;
}

/** The batches a rolling window works through: [from, to). */
export interface BatchRange {
  from: number;
  to: number;
}

const IN_FLIGHT: ReadonlySet<PodState | undefined> = new Set<
  PodState | undefined
>(['upgrading', 'rolling-back']);

/** Whether the pod takes one of maxUnavailable's slots: being started, or upgrading or rolling back. */
export const occupiesSlot = (pod: ScheduledPod) =>
  pod.starting || IN_FLIGHT.has(pod.state);

export const inFlightCount = (pods: Iterable<ScheduledPod>) => {
  let count = 0;
  for (const pod of pods) if (occupiesSlot(pod)) count += 1;
  return count;
};

/**
 * The pods to start now: pending held pods of the window's batches, taken in the order given (plan
 * order: batch, then name), as many as keep at most `maxUnavailable` in flight. Pods being changed
 * by an earlier attempt count as in flight.
 */
export function podsToStart(
  podsInPlanOrder: readonly ScheduledPod[],
  range: BatchRange,
  maxUnavailable: number,
): string[] {
  let room = maxUnavailable - inFlightCount(podsInPlanOrder);
  const chosen: string[] = [];
  for (const pod of podsInPlanOrder) {
    if (room <= 0) break;
    if (
      pod.state !== 'pending' ||
      pod.starting ||
      pod.batch === undefined ||
      pod.batch < range.from ||
      pod.batch >= range.to
    )
      continue;
    chosen.push(pod.key);
    room -= 1;
  }
  return chosen;
}

/** Code-unit order of two keys. */
function compareKeys(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

/** Plan order: by batch, then by key. */
export const byPlanOrder = (a: ScheduledPod, b: ScheduledPod) =>
  (a.batch ?? Infinity) - (b.batch ?? Infinity) || compareKeys(a.key, b.key);

// A pod's state only moves forward within one direction of a campaign: pending → upgrading →
// upgraded, or upgrading → rolling-back → failed | rolled-back; pending → skipped.
const STAGE: Record<PodState, number> = {
  pending: 0,
  upgrading: 1,
  upgraded: 2,
  'rolling-back': 2,
  failed: 3,
  'rolled-back': 3,
  skipped: 3,
};

/** Whether `seen` is at least as far along as `known`, so an event carrying it is not older than what we know. */
export const isNewerState = (
  seen: PodState | undefined,
  known: PodState | undefined,
) => seen !== undefined && (known === undefined || STAGE[seen] >= STAGE[known]);
