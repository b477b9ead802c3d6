import { resolveCount } from '@internal/plugin-sidecars-common';
import type { V1Pod } from '@kubernetes/client-node';
import {
  NOTHING_ROLLED,
  type CampaignRef,
  type ClaimedFirstWindow,
  type ClaimResult,
  type RollWindow,
} from '@internal/sidecar-workflows';
import { holdPlanned, planClaim } from './claim';
import type { ActivityDependencies, ClusterTarget } from './context';
import { rollBatches } from './roll';

/**
 * The claim with the first rolling window behind it: pods of batch 0 start as soon as they are
 * held, while the claim holds the rest, so the claim's writes overlap the upgrade instead of
 * preceding it. The window's failure budget is the campaign's over the planned targets.
 */
export async function claimAndRollFirstWindow(
  deps: ActivityDependencies,
  ref: CampaignRef,
  windowBatches: number,
): Promise<ClaimedFirstWindow> {
  const planned = await planClaim(deps, ref);
  const { plan } = planned;
  const plannedTargets = plan.batches.reduce(
    (sum, batch) => sum + batch.keys.length,
    0,
  );
  const window: RollWindow = {
    fromBatch: 0,
    toBatch: Math.min(plan.batches.length, windowBatches),
    maxUnavailable: Math.max(1, plan.maxUnavailable),
    failureBudget: resolveCount(
      ref.spec.strategy.failureBudget,
      plannedTargets,
      'down',
    ),
  };
  if (window.toBatch === 0)
    return {
      claim: await holdPlanned(ref, planned),
      window,
      outcome: NOTHING_ROLLED,
    };
  let claiming: Promise<ClaimResult> | undefined;
  const outcome = await rollBatches(deps, ref, window, held => {
    claiming = holdPlanned(ref, planned, (target, batch) => {
      if (batch < window.toBatch) held(target as ClusterTarget<V1Pod>);
    });
    return claiming;
  });
  return { claim: await claiming!, window, outcome };
}
