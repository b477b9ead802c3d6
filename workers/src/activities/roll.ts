import { setTimeout as delay } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import type { V1Pod } from '@kubernetes/client-node';
import {
  CAMPAIGN_ANNOTATIONS,
  CAMPAIGN_LABELS,
  type ActivityProgress,
  type PlanFigures,
  type PodState,
} from '@internal/plugin-sidecars-common';
import type {
  CampaignRef,
  RollOutcome,
  RollWindow,
  SkippedTarget,
} from '@internal/sidecar-workflows';
import { startUpgrade } from './batch';
import { claimAndStartUpgrade, type Assignment } from './claim';
import {
  campaignTargets,
  targetKey,
  type ActivityDependencies,
  type ClusterTarget,
} from './context';
import { watchPods } from './pod-feed';
import { heartbeatListing, heartbeatProgress } from './progress';
import {
  byPlanOrder,
  inFlightCount,
  isNewerState,
  occupiesSlot,
  podsToStart,
  type BatchRange,
  type ScheduledPod,
} from './rolling-schedule';
import { settleView } from '../kube/pod-model';
import { advance, failureOf, isInFlight } from './settle';
import { annotation, stateOf } from './transitions';

/** Health deadlines are checked this often; everything else moves on watch events. */
const TICK_MS = 1000;
/**
 * Scheduling passes start at least this far apart, and at least three times as far apart as the
 * last pass took: a burst of watch events costs one pass, not one each, and a window of 100,000
 * pods, whose pass takes tens of milliseconds, spends at most a third of a core on them.
 */
const MIN_PASS_MS = 20;
const HEARTBEAT_MS = 1000;
type Stopping = Exclude<RollOutcome['stopped'], 'done'>;
const PROGRESS_LOG_MS = 10_000;
const SAMPLE = 20;

/** A pod of the window as the activity knows it: `pod.state` moves only forward, from our writes or newer watch events. */
interface Tracked {
  pod: ScheduledPod;
  target: ClusterTarget<V1Pod>;
  /** Planned and not held yet: the write that starts it claims it. */
  unclaimed?: Assignment;
  busy: boolean;
  dirty: boolean;
  gone: boolean;
}

/** The window's planned pods that no claim has held yet, and who wants to know what became of them. */
export interface WindowClaim {
  unclaimed: readonly Assignment[];
  /** The whole plan's figures, reported with the window's progress until the workflow records the claim. */
  plan: PlanFigures;
  claimed(key: string): void;
  refused(skipped: SkippedTarget): void;
}

const rangeSelector = (ref: CampaignRef, { from, to }: BatchRange) =>
  `${CAMPAIGN_LABELS.campaign}=${ref.campaignId},${CAMPAIGN_LABELS.batch} in (${Array.from({ length: to - from }, (_, i) => from + i).join(',')})`;

function scheduled(ref: CampaignRef, target: ClusterTarget): ScheduledPod {
  const labels = target.object.metadata?.labels ?? {};
  const held = labels[CAMPAIGN_LABELS.hold] === ref.campaignId;
  return {
    key: targetKey(target),
    batch: held ? Number(labels[CAMPAIGN_LABELS.batch]) : undefined,
    state: stateOf(target.object),
    starting: false,
  };
}

/**
 * Rolling pacing over the pods of batches [from, to), held already or (`claim`) planned and claimed
 * by the write that starts them: starts each pending pod (in batch order) as soon as there is room
 * under maxUnavailable, moves in-flight pods along as the watch reports them (a failed pod is put
 * back on its previous image), and stops starting pods when more than `failureBudget` of the
 * window's pods failed or when the activity is cancelled (pause, abort, rollback). It returns once
 * nothing it started is in flight any more.
 */
export async function rollBatches(
  deps: ActivityDependencies,
  ref: CampaignRef,
  window: RollWindow,
  claim?: WindowClaim,
): Promise<RollOutcome> {
  const context = Context.current();
  const range: BatchRange = { from: window.fromBatch, to: window.toBatch };
  const tracked = new Map<string, Tracked>();
  /** The window's pods in plan order, sorted once the first list is in. */
  let order: Tracked[] = [];
  const skipped: SkippedTarget[] = [];
  let wake = () => {};

  const releaseSlot = (entry: Tracked) => {
    entry.pod.state = 'upgraded';
    wake();
  };

  const settleStep = async (entry: Tracked) => {
    if (entry.busy) {
      entry.dirty = true;
      return;
    }
    entry.busy = true;
    try {
      do {
        entry.dirty = false;
        // Only an object showing the state we know is current enough to judge.
        if (
          !isInFlight(entry.pod.state) ||
          stateOf(entry.target.object) !== entry.pod.state
        )
          break;
        // A pod Ready on the target image is available again: its slot frees before the write
        // that records it lands, so that write's latency is off the window's critical path.
        const state = await advance(ref, entry.target, () =>
          releaseSlot(entry),
        );
        if (state === undefined) entry.gone = true;
        else if (isNewerState(state, entry.pod.state)) entry.pod.state = state;
      } while (entry.dirty);
    } finally {
      entry.busy = false;
      wake();
    }
  };

  const started = (entry: Tracked, object: V1Pod) => {
    const state = stateOf(object);
    if (!isNewerState(state, entry.pod.state)) return;
    entry.target = { ...entry.target, object: settleView(object) };
    entry.pod.state = state;
  };

  const claimAndStart = async (entry: Tracked, assignment: Assignment) => {
    const outcome = await claimAndStartUpgrade(ref, assignment);
    if (typeof outcome === 'string') {
      claim?.refused({ target: entry.pod.key, reason: outcome });
      entry.gone = true;
      return;
    }
    entry.unclaimed = undefined;
    claim?.claimed(entry.pod.key);
    started(entry, outcome.started as V1Pod);
  };

  const start = async (entry: Tracked) => {
    entry.pod.starting = true;
    try {
      if (entry.unclaimed) await claimAndStart(entry, entry.unclaimed);
      else {
        const outcome = await startUpgrade(ref, entry.target);
        if (outcome.kind === 'skipped') {
          skipped.push(outcome.skipped);
          entry.pod.state = 'skipped';
        } else started(entry, outcome.object as V1Pod);
      }
    } finally {
      entry.pod.starting = false;
      wake();
    }
  };

  /** A pod of the window as the watch reports it, in its settle view. */
  const changed = (target: ClusterTarget<V1Pod>) => {
    const key = targetKey(target);
    const entry = tracked.get(key);
    if (!entry) {
      const added: Tracked = {
        pod: scheduled(ref, target),
        target,
        busy: false,
        dirty: false,
        gone: false,
      };
      tracked.set(key, added);
      order.push(added);
      void settleStep(added);
      return;
    }
    const state = stateOf(target.object);
    if (!isNewerState(state, entry.pod.state)) return;
    entry.target = target;
    entry.pod.state = state;
    void settleStep(entry);
  };

  for (const assignment of claim?.unclaimed ?? []) {
    if (
      assignment.batch.index < range.from ||
      assignment.batch.index >= range.to
    )
      continue;
    const target = assignment.target as ClusterTarget<V1Pod>;
    const entry: Tracked = {
      pod: {
        key: targetKey(target),
        batch: assignment.batch.index,
        state: 'pending',
        starting: false,
      },
      target,
      unclaimed: assignment,
      busy: false,
      dirty: false,
      gone: false,
    };
    tracked.set(entry.pod.key, entry);
    order.push(entry);
  }

  const feed = await watchPods(deps, ref, rangeSelector(ref, range), {
    changed,
    deleted(key) {
      const entry = tracked.get(key);
      if (entry) entry.gone = true;
      wake();
    },
  });
  order.sort((a, b) => byPlanOrder(a.pod, b.pod));

  const present = () => {
    if (order.some(entry => entry.gone))
      order = order.filter(entry => !entry.gone);
    return order;
  };
  const pods = () => present().map(entry => entry.pod);
  const failing = (all: readonly ScheduledPod[]) =>
    all.filter(pod => pod.state === 'failed' || pod.state === 'rolling-back')
      .length;
  const cancelled = () => context.cancellationSignal.aborted;
  let lastLog = 0;
  let lastBeat = 0;
  let lastStopping: Stopping | undefined;
  /** Heartbeats progress once a second, and at once when the window starts stopping. */
  const report = (
    all: readonly ScheduledPod[],
    stopping: Stopping | undefined,
  ) => {
    if (Date.now() - lastBeat < HEARTBEAT_MS && stopping === lastStopping)
      return;
    lastBeat = Date.now();
    lastStopping = stopping;
    const progress: ActivityProgress = {
      stage: 'rolling',
      fromBatch: range.from,
      toBatch: range.to,
      states: countStates(all),
      inFlight: inFlightCount(all),
      ...(stopping ? { stopping } : {}),
      ...(claim ? { plan: claim.plan } : {}),
    };
    heartbeatProgress(progress);
    if (Date.now() - lastLog >= PROGRESS_LOG_MS) {
      lastLog = Date.now();
      context.log.info('rolling window progress', progress);
    }
  };

  /** Waits `ms`, or less when a pod change, a start or a cancellation calls `wake`. */
  const sleepOrWake = (ms: number) =>
    new Promise<void>(resolve => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
      context.cancellationSignal.addEventListener('abort', wake, {
        once: true,
      });
    });

  try {
    let ticked = Date.now();
    for (;;) {
      const iteration = Date.now();
      // One snapshot per pass: the window may hold tens of thousands of pods.
      const all = pods();
      let stopping: Stopping | undefined;
      if (cancelled()) stopping = 'cancelled';
      else if (failing(all) > window.failureBudget) stopping = 'budget';
      if (!stopping) {
        for (const key of podsToStart(all, range, window.maxUnavailable))
          void start(tracked.get(key)!);
      }
      report(all, stopping);
      const { inFlight, waiting, writing } = census(present());
      // The writes recording settled pods land before the window answers.
      if (inFlight === 0 && !writing && (stopping || !waiting))
        return tally(
          present().map(e => ({ ...e.pod, target: e.target })),
          skipped,
          waiting && stopping ? stopping : 'done',
        );
      const passMs = Date.now() - iteration;
      await sleepOrWake(Math.max(0, ticked + TICK_MS - Date.now()));
      context.cancellationSignal.removeEventListener('abort', wake);
      // Changes that arrive together are handled in one pass.
      await delay(
        Math.max(0, iteration + Math.max(MIN_PASS_MS, 3 * passMs) - Date.now()),
      );
      if (Date.now() - ticked >= TICK_MS) {
        ticked = Date.now();
        for (const entry of present())
          if (isInFlight(entry.pod.state)) void settleStep(entry);
      }
    }
  } finally {
    await feed.stop();
  }
}

/** In one walk of the window: pods in flight, whether held pods still wait, and whether a write is out. */
function census(entries: readonly Tracked[]) {
  let inFlight = 0;
  let waiting = false;
  let writing = false;
  for (const { pod, busy } of entries) {
    if (occupiesSlot(pod)) inFlight += 1;
    if (pod.state === 'pending' && pod.batch !== undefined) waiting = true;
    if (busy) writing = true;
  }
  return { inFlight, waiting, writing };
}

function countStates(
  pods: readonly ScheduledPod[],
): Partial<Record<PodState, number>> {
  const counts: Partial<Record<PodState, number>> = {};
  for (const { state } of pods)
    if (state) counts[state] = (counts[state] ?? 0) + 1;
  return counts;
}

/** The outcome of batches [from, to) read from their pods as they are now. */
export async function tallyBatches(
  deps: ActivityDependencies,
  ref: CampaignRef,
  fromBatch: number,
  toBatch: number,
): Promise<RollOutcome> {
  // A window may be the whole fleet: listing 100,000 pods outlasts the heartbeat timeout.
  const targets = await campaignTargets(
    deps,
    ref,
    rangeSelector(ref, { from: fromBatch, to: toBatch }),
    heartbeatListing,
  );
  return tally(
    targets.map(target => ({ ...scheduled(ref, target), target })),
    [],
    'cancelled',
  );
}

type TalliedPod = ScheduledPod & { target: ClusterTarget };

function tally(
  pods: readonly TalliedPod[],
  skippedHere: readonly SkippedTarget[],
  stopped: RollOutcome['stopped'],
): RollOutcome {
  const inState = (state: PodState) => pods.filter(pod => pod.state === state);
  const failed = inState('failed');
  const released = inState('skipped');
  const skipped = [
    ...skippedHere,
    ...released.map(({ target }) => ({
      target: targetKey(target),
      reason:
        annotation(target.object, CAMPAIGN_ANNOTATIONS.failureReason) ??
        'released',
    })),
  ];
  return {
    upgraded: inState('upgraded').length,
    failed: failed.slice(0, SAMPLE).map(pod => failureOf(pod.target)),
    failedCount: failed.length,
    skipped: [...new Map(skipped.map(s => [s.target, s])).values()].slice(
      0,
      SAMPLE,
    ),
    skippedCount: released.length,
    pending: pods.filter(
      pod => pod.state === 'pending' && pod.batch !== undefined,
    ).length,
    stopped,
  };
}
