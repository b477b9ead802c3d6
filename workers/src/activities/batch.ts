import { CAMPAIGN_ANNOTATIONS, CAMPAIGN_LABELS } from '@internal/plugin-sidecars-common';
import type { BatchOutcome, CampaignRef, PatchBatchResult, SkippedTarget } from '@internal/sidecar-workflows';
import { podKey } from '../kube/pod-model';
import { forEachLimited, inBatch, podsMatching, type ActivityDependencies, type ClusterPod } from './context';
import { annotation, guardedWrite, imageChangeOps, stateOf, stateOps } from './pod-transitions';
import { settle } from './settle';

export async function batchPods(deps: ActivityDependencies, ref: CampaignRef, batch: number): Promise<ClusterPod[]> {
  const pods: ClusterPod[] = [];
  for await (const target of podsMatching(deps, ref.spec, inBatch(ref, batch))) pods.push(target);
  return pods;
}

/**
 * Patches every pending pod of the batch to the target image at once (the batch is sized by
 * maxUnavailable). A pod already past `pending` was patched by an earlier attempt and is left
 * alone, so each pod is patched at most once toward the target.
 */
export async function patchBatch(deps: ActivityDependencies, ref: CampaignRef, batch: number): Promise<PatchBatchResult> {
  const pods = await batchPods(deps, ref, batch);
  const skipped: SkippedTarget[] = [];
  let patched = 0;
  await forEachLimited(pods, pods.length, async target => {
    const key = podKey(target.cluster, target.pod);
    const outcome = await guardedWrite(target, pod => {
      if (stateOf(pod) !== 'pending') return 'done';
      const previous = annotation(pod, CAMPAIGN_ANNOTATIONS.previousImage) ?? '';
      return imageChangeOps(pod, ref, previous, ref.spec.targetImage, 'upgrading', new Date());
    });
    if (outcome.kind === 'written') {
      patched += 1;
      return;
    }
    const reason = outcome.kind === 'gone' ? 'pod deleted or replaced before its patch' : outcome.reason;
    skipped.push({ target: key, reason });
    if (outcome.kind === 'refused') await release(target, reason);
  });
  return { patched, skipped };
}

/** Lets go of a pod the campaign will not change, saying why on the pod. */
async function release(target: ClusterPod, reason: string): Promise<void> {
  await guardedWrite(target, pod =>
    stateOf(pod) === 'pending'
      ? [...stateOps(pod, 'skipped', { [CAMPAIGN_ANNOTATIONS.failureReason]: reason }), { op: 'remove', path: `/metadata/labels/${CAMPAIGN_LABELS.hold.replace('/', '~1')}` }]
      : 'done',
  );
}

/** Waits for the batch's pods to be healthy on the target; unhealthy ones go back to their previous image. */
export async function awaitBatch(deps: ActivityDependencies, ref: CampaignRef, batch: number): Promise<BatchOutcome> {
  const settled = await settle(ref, () => batchPods(deps, ref, batch));
  return {
    upgraded: settled.byState.get('upgraded')?.length ?? 0,
    failed: settled.failed,
    skipped: settled.skipped,
    unavailableLeft: settled.unavailableLeft,
  };
}
