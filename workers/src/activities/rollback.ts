import type { V1Deployment } from '@kubernetes/client-node';
import {
  CAMPAIGN_ANNOTATIONS,
  CAMPAIGN_LABELS,
  packByWeight,
  rolloutUnavailability,
} from '@internal/plugin-sidecars-common';
import type {
  CampaignRef,
  RollbackStepResult,
} from '@internal/sidecar-workflows';
import { targetKindFor } from '../kube/targets';
import {
  objectsMatching,
  type ActivityDependencies,
  type ClusterTarget,
} from './context';
import {
  annotation,
  guardedWrite,
  imageChangeOps,
  stateOf,
} from './transitions';
import { settle } from './settle';

const changedBy = (ref: CampaignRef, states: string) =>
  `${CAMPAIGN_LABELS.campaign}=${ref.campaignId},${CAMPAIGN_LABELS.state} in (${states})`;

/** Pods restoring a target takes down at once: one pod, or a Deployment's whole rollout step. */
const weightOf = (ref: CampaignRef, target: ClusterTarget) =>
  ref.spec.mode !== 'in-place'
    ? rolloutUnavailability((target.object as V1Deployment).spec)
    : 1;

/** The first targets matching `selector` whose restores together take at most `maxUnavailable` pods down (at least one target). */
async function firstTargets(
  deps: ActivityDependencies,
  ref: CampaignRef,
  selector: string,
  maxUnavailable: number,
): Promise<ClusterTarget[]> {
  const found: ClusterTarget[] = [];
  for await (const target of objectsMatching(
    deps,
    ref.spec,
    targetKindFor(ref.spec.mode),
    selector,
    undefined,
    maxUnavailable,
  )) {
    const holder = target.object.metadata?.labels?.[CAMPAIGN_LABELS.hold];
    if (holder && holder !== ref.campaignId) continue;
    found.push(target);
    if (found.length >= maxUnavailable) break;
  }
  return (
    packByWeight(found, maxUnavailable, target => weightOf(ref, target))[0] ??
    []
  );
}

/**
 * Restores targets the campaign changed to the image recorded on each one, packed like forward
 * batches so that never more than `maxUnavailable` pods are down, and waits for them to be healthy. The selection comes from labels on the targets, so rollback
 * works after a worker restart and after the workflow's own state is gone.
 */
export async function rollbackStep(
  deps: ActivityDependencies,
  ref: CampaignRef,
  maxUnavailable: number,
): Promise<RollbackStepResult> {
  let picked = await firstTargets(
    deps,
    ref,
    changedBy(ref, 'rolling-back'),
    maxUnavailable,
  );
  if (picked.length === 0) {
    picked = await firstTargets(
      deps,
      ref,
      changedBy(ref, 'upgraded,upgrading'),
      maxUnavailable,
    );
    for (const target of picked) {
      await guardedWrite(ref, target, object => {
        const state = stateOf(object);
        if (state !== 'upgraded' && state !== 'upgrading') return 'done';
        return imageChangeOps(
          object,
          ref,
          ref.spec.targetImage,
          annotation(object, CAMPAIGN_ANNOTATIONS.previousImage) ?? '',
          'rolling-back',
          new Date(),
        );
      });
    }
  }
  const settled = await settle(ref, () => reread(ref, picked));
  return {
    restored: settled.byState.get('rolled-back')?.length ?? 0,
    failed: settled.failed,
    unavailableLeft: settled.unavailableLeft,
  };
}

async function reread(
  ref: CampaignRef,
  targets: ClusterTarget[],
): Promise<ClusterTarget[]> {
  const kind = targetKindFor(ref.spec.mode);
  const current = await Promise.all(
    targets.map(async t => ({
      ...t,
      object: await kind.read(
        t.kc,
        t.object.metadata!.namespace!,
        t.object.metadata!.name!,
      ),
    })),
  );
  return current.filter(
    (t, i): t is ClusterTarget =>
      t.object?.metadata?.uid === targets[i]!.object.metadata?.uid,
  );
}
