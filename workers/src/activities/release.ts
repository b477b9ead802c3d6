import { CAMPAIGN_LABELS } from '@internal/plugin-sidecars-common';
import type { CampaignRef } from '@internal/sidecar-workflows';
import { metadataOps } from '../kube/pod-model';
import {
  BULK_WRITE_CONCURRENCY,
  campaignTargets,
  forEachLimited,
  heldBy,
  type ActivityDependencies,
} from './context';
import { guardedWrite, stateOf } from './transitions';

/**
 * Lets go of every target the campaign holds. Targets it never changed lose the campaign's labels;
 * changed ones keep `campaign` and `state`, which is what a later rollback selects on.
 * Returns how many targets the campaign leaves on the target image.
 */
export async function releaseHolds(
  deps: ActivityDependencies,
  ref: CampaignRef,
): Promise<number> {
  const held = await campaignTargets(deps, ref, heldBy(ref));
  await forEachLimited(held, BULK_WRITE_CONCURRENCY, async target => {
    await guardedWrite(ref, target, object => {
      if (object.metadata?.labels?.[CAMPAIGN_LABELS.hold] !== ref.campaignId)
        return 'done';
      const untouched = stateOf(object) === 'pending';
      return metadataOps(object, 'labels', {
        [CAMPAIGN_LABELS.hold]: null,
        [CAMPAIGN_LABELS.batch]: null,
        ...(untouched
          ? { [CAMPAIGN_LABELS.state]: null, [CAMPAIGN_LABELS.campaign]: null }
          : {}),
      });
    });
  });
  return (
    await campaignTargets(
      deps,
      ref,
      `${CAMPAIGN_LABELS.campaign}=${ref.campaignId},${CAMPAIGN_LABELS.state}=upgraded`,
    )
  ).length;
}
