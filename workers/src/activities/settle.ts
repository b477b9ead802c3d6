import { Context } from '@temporalio/activity';
import {
  CAMPAIGN_ANNOTATIONS,
  CAMPAIGN_LABELS,
} from '@internal/plugin-sidecars-common';
import type {
  CampaignRef,
  PodFailure,
  SkippedTarget,
} from '@internal/sidecar-workflows';
import { metadataOps } from '../kube/pod-model';
import { targetKindFor } from '../kube/targets';
import { heartbeatProgress } from './progress';
import { targetKey, type ClusterTarget } from './context';
import type { PodState } from '@internal/plugin-sidecars-common';
import {
  annotation,
  guardedWrite,
  healthDeadlinePassed,
  imageChangeOps,
  restartBaseline,
  stateOf,
  stateOps,
  type WriteOutcome,
} from './transitions';

const POLL_MS = 500;

export interface Settled {
  /** The targets at the end, by their state label. */
  byState: Map<string, ClusterTarget[]>;
  failed: PodFailure[];
  skipped: SkippedTarget[];
  unavailableLeft: number;
}

/**
 * Re-lists the targets each poll and moves each one along until none is in flight:
 * upgrading → upgraded, or (unhealthy) → rolling-back to its previous image → failed;
 * rolling-back → rolled-back (or failed, when it was a restore after a failure).
 */
export async function settle(
  ref: CampaignRef,
  list: () => Promise<ClusterTarget[]>,
): Promise<Settled> {
  const kind = targetKindFor(ref.spec.mode);
  const initial = await list();
  const seen = new Set(initial.map(targetKey));
  let current = initial;
  for (;;) {
    let inFlight = 0;
    for (const target of current)
      if (isInFlight(await advance(ref, target))) inFlight += 1;
    heartbeatProgress({ stage: 'settling', inFlight, targets: current.length });
    current = await list();
    if (inFlight === 0) break;
    await Context.current().sleep(POLL_MS);
  }
  const present = new Set(current.map(targetKey));
  const byState = new Map<string, ClusterTarget[]>();
  for (const target of current) {
    const state = stateOf(target.object) ?? '';
    byState.set(state, [...(byState.get(state) ?? []), target]);
  }
  const failed = byState.get('failed') ?? [];
  return {
    byState,
    failed: failed.map(failureOf),
    skipped: [...seen]
      .filter(key => !present.has(key))
      .map(target => ({
        target,
        reason: `${kind.noun} deleted or replaced while the campaign changed it`,
      })),
    unavailableLeft: failed.filter(t => !kind.available(t.object)).length,
  };
}

export function failureOf(target: ClusterTarget): PodFailure {
  return {
    target: targetKey(target),
    reason:
      annotation(target.object, CAMPAIGN_ANNOTATIONS.failureReason) ??
      'unknown',
  };
}

/** Targets the campaign is changing right now: each counts as unavailable until it settles. */
export function isInFlight(state: PodState | undefined): boolean {
  return state === 'upgrading' || state === 'rolling-back';
}

function stateAfter(
  outcome: WriteOutcome,
  before: PodState | undefined,
): PodState | undefined {
  if (outcome.kind === 'written') return stateOf(outcome.object);
  if (outcome.kind === 'gone') return undefined;
  return before;
}

/**
 * Moves one target a step toward a settled state, judging health from `target.object` as given,
 * and returns its state after the step (undefined when it is gone).
 */
export async function advance(
  ref: CampaignRef,
  target: ClusterTarget,
  /** Told when the target is judged healthy on the target image, before the write that records it. */
  onHealthy?: () => void,
): Promise<PodState | undefined> {
  const { object, kc } = target;
  const kind = targetKindFor(ref.spec.mode);
  const { container, targetImage } = ref.spec;
  const previousImage =
    annotation(object, CAMPAIGN_ANNOTATIONS.previousImage) ?? '';
  const now = new Date();
  const state = stateOf(object);
  const expired = healthDeadlinePassed(object, ref, now);
  if (state === 'upgrading') {
    const health = await kind.health(
      kc,
      object,
      container,
      targetImage,
      restartBaseline(object),
      expired,
    );
    if (health.kind === 'healthy') {
      onHealthy?.();
      return stateAfter(
        // Upgraded is final for the forward direction, so the same write lets go of the hold: the
        // campaign label and state keep other campaigns off it while this one runs (holderOf), and
        // the release at the end has nothing left to write for it.
        await guardedWrite(ref, target, o =>
          stateOf(o) === 'upgrading'
            ? [
                ...stateOps(o, 'upgraded'),
                ...metadataOps(o, 'labels', { [CAMPAIGN_LABELS.hold]: null }),
              ]
            : 'done',
        ),
        state,
      );
    }
    if (health.kind === 'failed') {
      const outcome = await guardedWrite(ref, target, o =>
        stateOf(o) === 'upgrading'
          ? imageChangeOps(
              o,
              ref,
              targetImage,
              previousImage,
              'rolling-back',
              now,
              { [CAMPAIGN_ANNOTATIONS.failureReason]: health.reason },
            )
          : 'done',
      );
      return stateAfter(outcome, state);
    }
    return state;
  }
  if (state === 'rolling-back') {
    const failureReason = annotation(
      object,
      CAMPAIGN_ANNOTATIONS.failureReason,
    );
    const health = await kind.health(
      kc,
      object,
      container,
      previousImage,
      restartBaseline(object),
      expired,
    );
    if (health.kind === 'pending') return state;
    const finalState =
      failureReason || health.kind === 'failed' ? 'failed' : 'rolled-back';
    const reason =
      health.kind === 'failed'
        ? `${failureReason ? `${failureReason}; ` : ''}restoring ${previousImage} failed too: ${health.reason}`
        : failureReason;
    const outcome = await guardedWrite(ref, target, o =>
      stateOf(o) === 'rolling-back'
        ? stateOps(
            o,
            finalState,
            reason ? { [CAMPAIGN_ANNOTATIONS.failureReason]: reason } : {},
          )
        : 'done',
    );
    return stateAfter(outcome, state);
  }
  return state;
}
