import { CAMPAIGN_ANNOTATIONS, CAMPAIGN_LABELS } from '@internal/plugin-sidecars-common';
import type { CampaignRef, RollbackStepResult } from '@internal/sidecar-workflows';
import { listPods, readPod } from '../kube/api';
import { targetClusters, type ActivityDependencies, type ClusterPod } from './context';
import { annotation, guardedWrite, imageChangeOps, stateOf } from './pod-transitions';
import { settle } from './settle';

const changedBy = (ref: CampaignRef, states: string) => `${CAMPAIGN_LABELS.campaign}=${ref.campaignId},${CAMPAIGN_LABELS.state} in (${states})`;

async function firstPods(deps: ActivityDependencies, ref: CampaignRef, selector: string, max: number): Promise<ClusterPod[]> {
  const found: ClusterPod[] = [];
  for (const [cluster, kc] of targetClusters(deps, ref.spec)) {
    for await (const pod of listPods(kc, { labelSelector: selector, pageSize: max })) {
      const holder = pod.metadata?.labels?.[CAMPAIGN_LABELS.hold];
      if (holder && holder !== ref.campaignId) continue;
      found.push({ cluster, kc, pod });
      if (found.length >= max) return found;
    }
  }
  return found;
}

/**
 * Restores up to `maxUnavailable` pods the campaign changed to the image recorded on each pod,
 * and waits for them to be healthy. The selection comes from the pods' labels, so rollback works
 * after a worker restart and after the workflow's own state is gone.
 */
export async function rollbackStep(deps: ActivityDependencies, ref: CampaignRef, maxUnavailable: number): Promise<RollbackStepResult> {
  let picked = await firstPods(deps, ref, changedBy(ref, 'rolling-back'), maxUnavailable);
  if (picked.length === 0) {
    picked = await firstPods(deps, ref, changedBy(ref, 'upgraded,upgrading'), maxUnavailable);
    for (const target of picked) {
      await guardedWrite(target, pod => {
        const state = stateOf(pod);
        if (state !== 'upgraded' && state !== 'upgrading') return 'done';
        return imageChangeOps(pod, ref, ref.spec.targetImage, annotation(pod, CAMPAIGN_ANNOTATIONS.previousImage) ?? '', 'rolling-back', new Date());
      });
    }
  }
  const settled = await settle(ref, () => reread(picked));
  return {
    restored: settled.byState.get('rolled-back')?.length ?? 0,
    failed: settled.failed,
    unavailableLeft: settled.unavailableLeft,
  };
}

async function reread(targets: ClusterPod[]): Promise<ClusterPod[]> {
  const current = await Promise.all(targets.map(async t => ({ ...t, pod: await readPod(t.kc, t.pod.metadata!.namespace!, t.pod.metadata!.name!) })));
  return current.filter((t, i): t is ClusterPod => t.pod?.metadata?.uid === targets[i]!.pod.metadata?.uid);
}
