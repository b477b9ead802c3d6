import {
  describeBatchSizes,
  laneSpecOf,
  type CampaignSpec,
  type ClusterAvailability,
  type WavePlan,
} from '@internal/plugin-sidecars-common';
import type { PlanOutcome } from './planner';

const NOTHING_PLANNED = 'no pod would be upgraded by this campaign';

/**
 * The plan of a campaign with waves: every lane (one wave in one cluster) planned as the lane will
 * claim it, all at once, then put together in wave order.
 */
export async function planWaves(
  spec: CampaignSpec,
  planLane: (laneSpec: CampaignSpec) => Promise<PlanOutcome>,
  skippedLimit: number,
): Promise<PlanOutcome> {
  const waves = spec.waves ?? [];
  const lanes = waves.flatMap((wave, waveIndex) =>
    wave.clusters.map(cluster => ({ waveIndex, cluster, wave })),
  );
  const outcomes = await Promise.all(
    lanes.map(lane => planLane(laneSpecOf(spec, lane.wave, lane.cluster))),
  );
  const wavePlans: WavePlan[] = waves.map((wave, waveIndex) => ({
    name: wave.name,
    ...(waveIndex > 0 && wave.gate
      ? {
          gate: {
            approval: wave.gate.approval ?? false,
            bakeSeconds: wave.gate.bakeSeconds ?? 0,
          },
        }
      : {}),
    lanes: [],
  }));
  lanes.forEach((lane, i) => {
    const { plan } = outcomes[i]!;
    wavePlans[lane.waveIndex]!.lanes.push({
      cluster: lane.cluster,
      pods: plan.batches.reduce((sum, b) => sum + b.pods.length, 0),
      batches: plan.batches.length,
      maxUnavailable: plan.maxUnavailable,
      skipped: plan.skipped.length,
    });
  });
  const plans = outcomes.map(o => o.plan);
  const batches = plans
    .flatMap(plan => plan.batches)
    .map((batch, index) => ({ ...batch, index }));
  const skipped = plans.flatMap(plan => plan.skipped);
  const targets = batches.reduce((sum, b) => sum + b.pods.length, 0);
  const warnings = [...new Set(plans.flatMap(plan => plan.warnings))].filter(
    w => w !== NOTHING_PLANNED,
  );
  if (targets === 0) warnings.push(NOTHING_PLANNED);
  const clusters = new Map<string, ClusterAvailability>();
  for (const outcome of outcomes)
    for (const cluster of outcome.clusters) clusters.set(cluster.name, cluster);
  const sum = (pick: (o: PlanOutcome) => number) =>
    outcomes.reduce((total, o) => total + pick(o), 0);
  return {
    plan: {
      spec,
      maxUnavailable: Math.max(0, ...plans.map(plan => plan.maxUnavailable)),
      totalPods: sum(o => o.plan.totalPods),
      batches,
      partitioned: plans.flatMap(plan => plan.partitioned),
      skipped: skipped.slice(0, skippedLimit),
      warnings,
      fingerprint: {
        clusters: [...clusters.keys()],
        selectedPods: sum(o => o.plan.fingerprint.selectedPods),
        targets,
        skipped: sum(o => o.plan.fingerprint.skipped),
        partitioned: sum(o => o.plan.fingerprint.partitioned),
        batchSizes: describeBatchSizes(batches.map(b => b.pods.length)),
      },
      waves: wavePlans,
    },
    selected: sum(o => o.selected),
    withContainer: sum(o => o.withContainer),
    clusters: [...clusters.values()],
    partial: outcomes.some(o => o.partial),
  };
}
