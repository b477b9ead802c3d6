import {
  CAMPAIGN_ANNOTATIONS,
  CAMPAIGN_LABELS,
} from '@internal/plugin-sidecars-common';
import type {
  BatchOutcome,
  CampaignRef,
  PatchBatchResult,
  SkippedTarget,
} from '@internal/sidecar-workflows';
import { metadataOps } from '../kube/pod-model';
import {
  campaignTargets,
  forEachLimited,
  inBatch,
  targetKey,
  type ActivityDependencies,
  type ClusterTarget,
} from './context';
import type { TargetObject } from '../kube/targets';
import {
  annotation,
  CANARY_ANNOTATION,
  guardedWrite,
  imageChangeOps,
  stateOf,
  stateOps,
} from './transitions';
import { settle } from './settle';

/**
 * Patches every pending target of the batch to the target image at once (the batch is sized by
 * maxUnavailable). A target already past `pending` was patched by an earlier attempt and is left
 * alone, so each one is patched at most once toward the target.
 */
export async function patchBatch(
  deps: ActivityDependencies,
  ref: CampaignRef,
  batch: number,
): Promise<PatchBatchResult> {
  const targets = await campaignTargets(deps, ref, inBatch(ref, batch));
  const skipped: SkippedTarget[] = [];
  let patched = 0;
  await forEachLimited(targets, targets.length, async target => {
    const outcome = await startUpgrade(ref, target);
    if (outcome.kind === 'skipped') skipped.push(outcome.skipped);
    else if (outcome.kind === 'patched') patched += 1;
  });
  return {
    patched,
    skipped,
    canary: targets.some(
      target => annotation(target.object, CANARY_ANNOTATION) === 'true',
    ),
  };
}

export type StartOutcome =
  | { kind: 'patched'; object: TargetObject }
  | { kind: 'already-started'; object: TargetObject }
  | { kind: 'skipped'; skipped: SkippedTarget };

/**
 * Moves one pending target to the target image (pending → upgrading, at most once: the write is
 * decided on the target's current state). A target the campaign may not change is released, saying why.
 */
export async function startUpgrade(
  ref: CampaignRef,
  target: ClusterTarget,
): Promise<StartOutcome> {
  let started = false;
  const outcome = await guardedWrite(ref, target, object => {
    started = stateOf(object) === 'pending';
    if (!started) return 'done';
    return imageChangeOps(
      object,
      ref,
      annotation(object, CAMPAIGN_ANNOTATIONS.previousImage) ?? '',
      ref.spec.targetImage,
      'upgrading',
      new Date(),
    );
  });
  if (outcome.kind === 'written')
    return {
      kind: started ? 'patched' : 'already-started',
      object: outcome.object,
    };
  const reason =
    outcome.kind === 'gone'
      ? 'deleted or replaced before its patch'
      : outcome.reason;
  if (outcome.kind === 'refused') await release(ref, target, reason);
  return { kind: 'skipped', skipped: { target: targetKey(target), reason } };
}

/** Lets go of a target the campaign will not change, saying why on it. */
async function release(
  ref: CampaignRef,
  target: ClusterTarget,
  reason: string,
): Promise<void> {
  await guardedWrite(ref, target, object =>
    stateOf(object) === 'pending'
      ? [
          ...stateOps(object, 'skipped', {
            [CAMPAIGN_ANNOTATIONS.failureReason]: reason,
          }),
          ...metadataOps(object, 'labels', { [CAMPAIGN_LABELS.hold]: null }),
        ]
      : 'done',
  );
}

/** Waits for the batch to be healthy on the target; unhealthy targets go back to their previous image. */
export async function awaitBatch(
  deps: ActivityDependencies,
  ref: CampaignRef,
  batch: number,
): Promise<BatchOutcome> {
  const settled = await settle(ref, () =>
    campaignTargets(deps, ref, inBatch(ref, batch)),
  );
  return {
    upgraded: settled.byState.get('upgraded')?.length ?? 0,
    failed: settled.failed,
    skipped: settled.skipped,
    unavailableLeft: settled.unavailableLeft,
  };
}
