// Workload mode plans Deployments, not pods: each rollout may take several pods down at once, so
// Deployments are packed into batches whose rollouts together stay within maxUnavailable pods.
// Shared by the worker's claim and the backend's dry run so that both plan the same batches.
import { planBatches, type BatchPlan, type PlannablePod } from './planner';
import { resolveCount, resolveMaxUnavailable } from './quantities';
import type { CampaignSpec } from './spec';
import {
  skipDecision,
  type SkipDecision,
  type TargetingQuestion,
  type TargetPod,
} from './targeting';

/** The parts of a Deployment's spec that decide how many pods its rollout takes down at once. */
export interface RolloutSpec {
  replicas?: number;
  strategy?: {
    type?: string;
    rollingUpdate?: { maxUnavailable?: number | string };
  };
}

/** Pods a Deployment's own rollout may take down at once (Kubernetes' default: 25%, rounded down). */
export function rolloutUnavailability(spec: RolloutSpec | undefined): number {
  const replicas = spec?.replicas ?? 1;
  if (spec?.strategy?.type === 'Recreate') return replicas;
  return resolveCount(
    spec?.strategy?.rollingUpdate?.maxUnavailable ?? '25%',
    replicas,
    'down',
  );
}

export interface PlannableWorkload extends PlannablePod {
  /** rolloutUnavailability of the workload. */
  unavailability: number;
}

/** The pod budget a workload campaign over `podCount` selected pods has. */
export const workloadBudget = (
  strategy: CampaignSpec['strategy'],
  podCount: number,
) => resolveMaxUnavailable(strategy.maxUnavailable, podCount);

/** Why a workload's rollout cannot fit the campaign's budget, or undefined when it fits. */
export function overBudgetReason(
  unavailability: number,
  budget: number,
): string | undefined {
  if (unavailability <= budget) return undefined;
  return `its rollout may take ${unavailability} pods down at once (strategy.rollingUpdate.maxUnavailable), more than the campaign's maxUnavailable of ${budget}: lower the Deployment's or raise the campaign's`;
}

export interface WorkloadQuestion extends Omit<
  TargetingQuestion,
  'pod' | 'ownerTemplate'
> {
  /** The Deployment as `cluster/namespace/name`, for messages. */
  key: string;
  deployment: {
    metadata?: TargetPod['metadata'];
    spec?: RolloutSpec & { template: { spec?: TargetPod['spec'] } };
  };
}

/**
 * Why a workload-mode campaign must leave this Deployment alone, or undefined when it may take it:
 * the pod rules applied to its template, or a sidecar that is injected rather than declared. (Whether
 * its rollout fits the budget is decided when planning, once every cluster's pods are counted.)
 */
export function workloadSkipDecision(
  question: WorkloadQuestion,
): SkipDecision | undefined {
  const { key, deployment, spec } = question;
  const decision = skipDecision({
    ...question,
    pod: {
      metadata: deployment.metadata,
      spec: deployment.spec?.template.spec,
    },
  });
  if (decision?.code === 'no-container') {
    return {
      code: 'no-container',
      reason: `${spec.container} is not in Deployment ${key}'s pod template (it is injected at admission): use mode "in-place"`,
    };
  }
  return (
    decision && {
      code: decision.code,
      reason: decision.reason.replace(/^pod /, 'Deployment '),
    }
  );
}

/**
 * Splits items, in order, into consecutive groups whose weights add up to at most `budget`; an item
 * heavier than the budget goes alone. Forward batches and rollback steps are both packed this way.
 */
export function packByWeight<T>(
  items: readonly T[],
  budget: number,
  weightOf: (item: T) => number,
): T[][] {
  const groups: T[][] = [];
  let used = budget;
  for (const item of items) {
    const weight = Math.max(1, weightOf(item));
    if (used + weight > budget) {
      groups.push([]);
      used = 0;
    }
    groups.at(-1)!.push(item);
    used += weight;
  }
  return groups;
}

/**
 * Orders workloads the way pods are ordered (partition included), then packs them: a batch takes
 * workloads while their rollouts together take at most the budget's pods down. With a canary, the
 * first batch is packed to the canary's size instead (at least one workload).
 */
export function planWorkloadBatches(
  workloads: readonly PlannableWorkload[],
  strategy: CampaignSpec['strategy'],
  podCount: number,
): BatchPlan {
  const budget = workloadBudget(strategy, podCount);
  const weightOf = new Map(workloads.map(w => [w.key, w.unavailability]));
  const weight = (key: string) => weightOf.get(key)!;
  const ordered = planBatches(workloads, {
    ...strategy,
    canary: undefined,
    maxUnavailable: '100%',
  });
  const keys = ordered.batches.flat();
  const batches: string[][] = [];
  if (strategy.canary !== undefined && keys.length > 0) {
    const canarySize = Math.min(
      resolveCount(strategy.canary.size, podCount, 'up'),
      budget,
    );
    const [canary] = packByWeight(keys, canarySize, weight);
    batches.push(canary!);
  }
  batches.push(
    ...packByWeight(keys.slice(batches[0]?.length ?? 0), budget, weight),
  );
  return { batches, partitioned: ordered.partitioned, maxUnavailable: budget };
}
