import { CAMPAIGN_LABELS } from '@internal/plugin-sidecars-common';
import type { CampaignRef } from '@internal/sidecar-workflows';
import { metadataOps } from '../kube/pod-model';
import {
  BULK_WRITE_CONCURRENCY,
  countCampaignTargets,
  forEachLimited,
  heldBy,
  streamCampaignTargets,
  type ActivityDependencies,
} from './context';
import { heartbeatProgress } from './progress';
import { guardedWrite, stateOf } from './transitions';

/**
 * Lets go of every target the campaign holds. Targets it never changed lose the campaign's labels;
 * changed ones keep `campaign` and `state`, which is what a later rollback selects on.
 * Returns how many targets the campaign leaves on the target image. Both the holds and the count are
 * streamed page by page and heartbeat as they go: at 100,000 pods, listing them whole outlasted the
 * heartbeat timeout, and every retry listed them again.
 */
export async function releaseHolds(
  deps: ActivityDependencies,
  ref: CampaignRef,
): Promise<number> {
  let released = 0;
  const held = streamCampaignTargets(deps, ref, heldBy(ref));
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
    heartbeatProgress({ stage: 'releasing', released: ++released, counted: 0 });
  });
  return countCampaignTargets(
    deps,
    ref,
    `${CAMPAIGN_LABELS.campaign}=${ref.campaignId},${CAMPAIGN_LABELS.state}=upgraded`,
    counted => heartbeatProgress({ stage: 'releasing', released, counted }),
  );
}
