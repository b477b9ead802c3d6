import { CAMPAIGN_LABELS } from '@internal/plugin-sidecars-common';
import type { CampaignRef } from '@internal/sidecar-workflows';
import { forEachLimited, heldBy, podsMatching, type ActivityDependencies, type ClusterPod } from './context';
import { guardedWrite, stateOf } from './pod-transitions';
import { metadataOps } from '../kube/pod-model';

/**
 * Lets go of every pod the campaign holds. Pods it never changed lose the campaign's labels;
 * changed pods keep `campaign` and `state`, which is what a later rollback selects on.
 * Returns how many pods the campaign leaves on the target image.
 */
export async function releaseHolds(deps: ActivityDependencies, ref: CampaignRef): Promise<number> {
  const held: ClusterPod[] = [];
  for await (const target of podsMatching(deps, ref.spec, heldBy(ref))) held.push(target);
  await forEachLimited(held, 8, async target => {
    await guardedWrite(target, pod => {
      if (pod.metadata?.labels?.[CAMPAIGN_LABELS.hold] !== ref.campaignId) return 'done';
      const untouched = stateOf(pod) === 'pending';
      return metadataOps(pod, 'labels', {
        [CAMPAIGN_LABELS.hold]: null,
        [CAMPAIGN_LABELS.batch]: null,
        ...(untouched ? { [CAMPAIGN_LABELS.state]: null, [CAMPAIGN_LABELS.campaign]: null } : {}),
      });
    });
  });
  let leftChanged = 0;
  for await (const _ of podsMatching(deps, ref.spec, `${CAMPAIGN_LABELS.campaign}=${ref.campaignId},${CAMPAIGN_LABELS.state}=upgraded`)) leftChanged += 1;
  return leftChanged;
}
