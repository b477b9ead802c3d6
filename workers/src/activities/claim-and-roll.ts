import { resolveCount } from '@internal/plugin-sidecars-common';
import {
  NOTHING_ROLLED,
  type CampaignRef,
  type ClaimedFirstWindow,
  type RollWindow,
  type SkippedTarget,
} from '@internal/sidecar-workflows';
import {
  assignmentsOf,
  claimResult,
  holdTargets,
  planClaim,
  type Holds,
} from './claim';
import { targetKey, type ActivityDependencies } from './context';
import { rollBatches } from './roll';

/**
 * The claim with the first rolling window behind it. A pod of the window is claimed by the write
 * that starts it, so it costs one write where a claim ahead of the window costs two, and no pod
 * waits for the whole claim; the later batches are held while the window runs. A window that stops
 * early (pause, abort, rollback, budget) holds the pods it did not start, for the windows, the
 * rollback or the release that follow. The window's failure budget is the campaign's over the
 * planned targets.
 */
export async function claimAndRollFirstWindow(
  deps: ActivityDependencies,
  ref: CampaignRef,
  windowBatches: number,
): Promise<ClaimedFirstWindow> {
  const planned = await planClaim(deps, ref);
  const { plan } = planned;
  const assignments = assignmentsOf(planned);
  const window: RollWindow = {
    fromBatch: 0,
    toBatch: Math.min(plan.batches.length, windowBatches),
    maxUnavailable: Math.max(1, plan.maxUnavailable),
    failureBudget: resolveCount(
      ref.spec.strategy.failureBudget,
      assignments.length,
      'down',
    ),
  };
  const inWindow = assignments.filter(a => a.batch.index < window.toBatch);
  const holdingLater = holdTargets(
    ref,
    assignments.filter(a => a.batch.index >= window.toBatch),
    { reportProgress: false },
  );
  // Observed now so that a failure while the window runs is not an unhandled rejection; awaited below.
  holdingLater.catch(() => undefined);
  const claimed = new Set<string>();
  const refused: SkippedTarget[] = [];
  const outcome =
    inWindow.length === 0
      ? NOTHING_ROLLED
      : await rollBatches(deps, ref, window, {
          unclaimed: inWindow,
          plan: {
            selected: plan.counts.targets,
            skipped: plan.skipped.length + plan.partitioned.length,
            totalBatches: plan.batches.length,
          },
          claimed: key => claimed.add(key),
          refused: skipped => refused.push(skipped),
        });
  const answered = new Set([...claimed, ...refused.map(r => r.target)]);
  const leftovers = await holdTargets(
    ref,
    inWindow.filter(a => !answered.has(targetKey(a.target))),
  );
  const holds: Holds[] = [
    { claimed: claimed.size, refused },
    leftovers,
    await holdingLater,
  ];
  return {
    claim: claimResult(ref, planned, {
      claimed: holds.reduce((sum, h) => sum + h.claimed, 0),
      refused: holds.flatMap(h => h.refused),
    }),
    window,
    outcome,
  };
}
