import {
  describeBatchSizes,
  overBudgetReason,
  planBatches,
  planWorkloadBatches,
  workloadBudget,
  type CampaignSpec,
  type PlanFingerprint,
} from '@internal/plugin-sidecars-common';
import type { ClusterDiscovery, SkippedTarget, Target } from './discovery';

export interface TargetBatch {
  index: number;
  /** Target keys `cluster/namespace/name`, in the order they run. */
  keys: string[];
  /** Pods the batch takes down at once at most. */
  weight: number;
  /** The canary batch: the workflow pauses or bakes after it, as the spec's canary says. */
  canary: boolean;
}

export interface PlanCounts {
  /** Pods the selector matched in the clusters that answered, in either mode. */
  selectedPods: number;
  podsWithContainer: number;
  /** Targets considered: pods in mode in-place; Deployments and unmanaged pods in modes workload and to-native. */
  targets: number;
  planned: number;
  skipped: number;
  partitioned: number;
}

/** Which targets a campaign takes and in which batches: the plan a preview shows and a claim holds. */
export interface TargetPlan {
  clusters: string[];
  batches: TargetBatch[];
  /** Keys left on the old version by the partition. */
  partitioned: string[];
  skipped: SkippedTarget[];
  maxUnavailable: number;
  counts: PlanCounts;
  /** Every planned target by key, for the claim to hold. */
  targets: ReadonlyMap<string, Target>;
}

/**
 * Plans the targets discovered in each cluster into batches: pods by the shared batch planner,
 * Deployments packed so their rollouts together stay within maxUnavailable pods (one whose rollout
 * alone exceeds it is skipped). Percentages resolve against every selected pod.
 */
export function planTargets(
  spec: CampaignSpec,
  discoveries: readonly ClusterDiscovery[],
): TargetPlan {
  const selectedPods = discoveries.reduce((sum, d) => sum + d.selectedPods, 0);
  const skipped = discoveries.flatMap(d => d.skipped);
  let candidates = discoveries.flatMap(d => d.candidates);
  if (spec.mode !== 'in-place') {
    const budget = workloadBudget(spec.strategy, selectedPods);
    const fitting: Target[] = [];
    for (const target of candidates) {
      const overBudget = overBudgetReason(target.weight, budget);
      if (overBudget)
        skipped.push({
          target: target.key,
          code: 'over-budget',
          reason: overBudget,
        });
      else fitting.push(target);
    }
    candidates = fitting;
  }
  const plannable = candidates.map(t => ({
    key: t.key,
    labels: t.labels,
    unavailability: t.weight,
  }));
  const planned =
    spec.mode !== 'in-place'
      ? planWorkloadBatches(plannable, spec.strategy, selectedPods)
      : planBatches(plannable, spec.strategy);
  const targets = new Map(candidates.map(t => [t.key, t]));
  const batches = planned.batches.map((keys, index) => ({
    index,
    keys,
    weight: keys.reduce((sum, key) => sum + targets.get(key)!.weight, 0),
    canary: index === 0 && spec.strategy.canary !== undefined,
  }));
  for (const key of planned.partitioned) targets.delete(key);
  return {
    clusters: discoveries.map(d => d.cluster),
    batches,
    partitioned: planned.partitioned,
    skipped,
    maxUnavailable: planned.maxUnavailable,
    targets,
    counts: {
      selectedPods,
      podsWithContainer: discoveries.reduce(
        (sum, d) => sum + d.podsWithContainer,
        0,
      ),
      targets: skipped.length + candidates.length,
      planned: targets.size,
      skipped: skipped.length,
      partitioned: planned.partitioned.length,
    },
  };
}

/** The figures of a plan that a preview records and a claim compares. */
export function planFingerprint(plan: TargetPlan): PlanFingerprint {
  const { selectedPods, targets, skipped, partitioned } = plan.counts;
  return {
    clusters: plan.clusters,
    selectedPods,
    targets,
    skipped,
    partitioned,
    batchSizes: describeBatchSizes(plan.batches.map(b => b.keys.length)),
  };
}
