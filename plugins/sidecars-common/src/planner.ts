import { resolveCount, resolveMaxUnavailable } from './quantities';
import type { CampaignStrategy } from './spec';

export interface PlannablePod {
  /** "cluster/namespace/name", unique. */
  key: string;
  labels: Record<string, string>;
}

export interface BatchPlan {
  /** Pod keys per batch, in the order they run. */
  batches: string[][];
  /** Keys of the pods left on the old version (the last ones in the chosen order). */
  partitioned: string[];
  maxUnavailable: number;
}

export type PodOrder = CampaignStrategy['order'];

const NUMERIC = /^-?\d+(\.\d+)?$/;

// Code-unit order rather than localeCompare, so the result cannot depend on the runtime's ICU data.
function compareText(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

function byKey(a: PlannablePod, b: PlannablePod): number {
  return compareText(a.key, b.key);
}

function priorityOf(pod: PlannablePod, label: string): number | null {
  const value = pod.labels[label];
  return value !== undefined && NUMERIC.test(value) ? Number(value) : null;
}

function byPriority(label: string) {
  return (a: PlannablePod, b: PlannablePod): number => {
    const pa = priorityOf(a, label);
    const pb = priorityOf(b, label);
    if (pa !== pb) {
      if (pa === null) return 1;
      if (pb === null) return -1;
      return pb - pa;
    }
    return byKey(a, b);
  };
}

/** Round-robin over the topology groups (sorted by value), so consecutive pods come from different groups while more than one group has pods left. */
function scatter(
  pods: readonly PlannablePod[],
  topologyKey: string,
): PlannablePod[] {
  const groups = new Map<string, PlannablePod[]>();
  for (const pod of [...pods].sort(byKey)) {
    const value = pod.labels[topologyKey] ?? '';
    const group = groups.get(value);
    if (group) group.push(pod);
    else groups.set(value, [pod]);
  }
  const ordered = [...groups.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([, group]) => group);
  const result: PlannablePod[] = [];
  for (let round = 0; result.length < pods.length; round++) {
    for (const group of ordered) {
      const pod = group[round];
      if (pod !== undefined) result.push(pod);
    }
  }
  return result;
}

/** The pods in the order the strategy upgrades them; independent of the input order. */
export function orderPods(
  pods: readonly PlannablePod[],
  order: PodOrder,
): PlannablePod[] {
  switch (order.by) {
    case 'name':
      return [...pods].sort(byKey);
    case 'priority':
      return [...pods].sort(byPriority(order.label));
    case 'scatter':
      return scatter(pods, order.topologyKey);
    default: {
      const unknown: never = order;
      throw new Error(`unknown pod order ${JSON.stringify(unknown)}`);
    }
  }
}

function assertUniqueKeys(pods: readonly PlannablePod[]): void {
  const seen = new Set<string>();
  for (const pod of pods) {
    if (seen.has(pod.key))
      throw new Error(
        `pod ${pod.key} is listed twice; a plan must not patch a pod twice`,
      );
    seen.add(pod.key);
  }
}

/**
 * Splits the pods into batches: the partition (the last pods in order) is left out, the canary (if
 * any) is the first batch, and the others have exactly maxUnavailable pods (the last may be smaller).
 * Percentages resolve against all pods, partitioned ones included.
 */
export function planBatches(
  pods: readonly PlannablePod[],
  strategy: CampaignStrategy,
): BatchPlan {
  assertUniqueKeys(pods);
  const total = pods.length;
  const maxUnavailable = resolveMaxUnavailable(strategy.maxUnavailable, total);
  const keys = orderPods(pods, strategy.order).map(pod => pod.key);

  const partitionSize =
    strategy.partition === undefined
      ? 0
      : Math.min(total, resolveCount(strategy.partition, total, 'down'));
  const planned = keys.slice(0, total - partitionSize);
  const partitioned = keys.slice(total - partitionSize);

  const batches: string[][] = [];
  let next = 0;
  if (strategy.canary !== undefined && planned.length > 0) {
    const canarySize = Math.min(
      resolveCount(strategy.canary.size, total, 'up'),
      maxUnavailable,
    );
    batches.push(planned.slice(0, canarySize));
    next = canarySize;
  }
  for (; next < planned.length; next += maxUnavailable) {
    batches.push(planned.slice(next, next + maxUnavailable));
  }
  return { batches, partitioned, maxUnavailable };
}

/**
 * What a plan preview showed, small enough to travel in a campaign's input at any fleet size, so
 * the claim can say what changed in the cluster between the preview and the start.
 */
export interface PlanFingerprint {
  /** The clusters the preview planned over. */
  clusters: string[];
  selectedPods: number;
  targets: number;
  skipped: number;
  partitioned: number;
  /** Batch sizes, run-length encoded: "1, 5×3, 2". */
  batchSizes: string;
}

/** Batch sizes as "1, 5×3, 2": exact, and short however many batches there are. */
export function describeBatchSizes(sizes: readonly number[]): string {
  const runs: Array<{ size: number; times: number }> = [];
  for (const size of sizes) {
    const last = runs.at(-1);
    if (last?.size === size) last.times += 1;
    else runs.push({ size, times: 1 });
  }
  return (
    runs
      .map(r => (r.times > 1 ? `${r.size}×${r.times}` : String(r.size)))
      .join(', ') || 'none'
  );
}

/** "plan changed since preview: …" naming each figure that differs, or undefined when none does. */
export function describePlanChange(
  previewed: PlanFingerprint,
  current: PlanFingerprint,
): string | undefined {
  const changes: string[] = [];
  const figures = [
    ['selected pods', 'selectedPods'],
    ['targets', 'targets'],
    ['skipped', 'skipped'],
    ['partitioned', 'partitioned'],
  ] as const;
  for (const [label, field] of figures)
    if (previewed[field] !== current[field])
      changes.push(`${label} ${previewed[field]} → ${current[field]}`);
  if (previewed.batchSizes !== current.batchSizes)
    changes.push(`batch sizes ${previewed.batchSizes} → ${current.batchSizes}`);
  return changes.length > 0
    ? `plan changed since preview: ${changes.join('; ')}`
    : undefined;
}
