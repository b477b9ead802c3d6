import type {
  CampaignSpec,
  ClusterAvailability,
  PlanResponse,
} from '@internal/plugin-sidecars-common';
import {
  discoverTargets,
  planFingerprint,
  planTargets,
  type ClusterReader,
  type SkippedTarget,
} from '@internal/plugin-sidecars-node';
import { acrossClusters } from '../kubernetes/fanout';
import { planWaves } from './wavePlan';

const SKIPPED_LIMIT = 500;

export interface PlanOutcome {
  /** The plan preview but for the freezes, which the router adds from configuration. */
  plan: Omit<PlanResponse, 'freezes'>;
  /** Pods the selector matched. */
  selected: number;
  /** Selected pods that run the campaign's container at all. */
  withContainer: number;
  clusters: ClusterAvailability[];
  partial: boolean;
}

function warningsFor(
  skips: readonly SkippedTarget[],
  spec: CampaignSpec,
  clusters: readonly ClusterAvailability[],
  planned: number,
): string[] {
  const warnings: string[] = [];
  for (const cluster of clusters.filter(c => !c.ok))
    warnings.push(
      `cluster ${cluster.name} did not answer (${cluster.error}): its pods are missing from this plan`,
    );
  const holders = new Map<string, number>();
  for (const skip of skips)
    if (skip.code === 'held' && skip.holder)
      holders.set(skip.holder, (holders.get(skip.holder) ?? 0) + 1);
  for (const [holder, pods] of holders) {
    warnings.push(
      `${pods} pod(s) are held by the running campaign ${holder} and will be skipped: wait for it to finish, or abort it first`,
    );
  }
  const declared = skips.filter(s => s.code === 'declared-in-template');
  if (declared.length > 0) {
    warnings.push(
      `${declared.length} pod(s) declare ${spec.container} in their workload's pod template, so an in-place patch would be undone by the next rollout; they will be skipped: set mode to "workload" to upgrade them by restarting the workload`,
    );
  }
  warnings.push(...toNativeWarnings(skips, spec));
  const onTarget = skips.filter(s => s.code === 'on-target').length;
  if (onTarget > 0)
    warnings.push(`${onTarget} pod(s) already run ${spec.targetImage}`);
  if (planned === 0) warnings.push('no pod would be upgraded by this campaign');
  return warnings;
}

/** Mode to-native: the Deployments it leaves alone because their sidecar is injected or already native, with the fix. */
function toNativeWarnings(
  skips: readonly SkippedTarget[],
  spec: CampaignSpec,
): string[] {
  const warnings: string[] = [];
  const injected = skips.filter(s => s.code === 'injected');
  if (injected.length > 0) {
    const injectors = [
      ...new Set(injected.map(s => s.injector ?? 'an unnamed injector')),
    ];
    warnings.push(
      `${injected.length} Deployment(s) get ${spec.container} from ${injectors.join(', ')} at admission, not from their pod template, so this campaign cannot move it: change that injector's configuration to inject ${spec.container} as a native sidecar (an init container with restartPolicy: Always)`,
    );
  }
  const native = skips.filter(s => s.code === 'already-native').length;
  if (native > 0)
    warnings.push(
      `${native} Deployment(s) already run ${spec.container} as a native sidecar and will be skipped: nothing to move there (to change its image, use mode "workload")`,
    );
  return warnings;
}

/**
 * The dry run: the worker's discovery and planning (plugin-sidecars-node) over every selected
 * cluster at once, each call bounded by the cluster timeout; a cluster that does not answer is
 * reported and left out.
 */
export class CampaignPlanner {
  constructor(
    private readonly readers: readonly ClusterReader[],
    private readonly timeoutMs: number,
  ) {}

  async plan(spec: CampaignSpec): Promise<PlanOutcome> {
    return spec.waves
      ? planWaves(spec, lane => this.planSelection(lane), SKIPPED_LIMIT)
      : this.planSelection(spec);
  }

  private async planSelection(spec: CampaignSpec): Promise<PlanOutcome> {
    const selected = spec.selector.clusters
      ? this.readers.filter(r => spec.selector.clusters!.includes(r.cluster))
      : this.readers;
    const fanOut = await acrossClusters(selected, this.timeoutMs, reader =>
      discoverTargets(spec, reader),
    );
    const plan = planTargets(
      spec,
      fanOut.results.map(r => r.value),
    );
    const skipped = [
      ...plan.skipped.map(({ target, reason }) => ({ target, reason })),
      ...plan.partitioned.map(target => ({
        target,
        reason: 'left on the old version by the partition',
      })),
    ];
    const warnings = warningsFor(
      plan.skipped,
      spec,
      fanOut.clusters,
      plan.counts.planned,
    );
    if (skipped.length > SKIPPED_LIMIT)
      warnings.push(
        `${skipped.length} pods are skipped; the first ${SKIPPED_LIMIT} are listed`,
      );

    return {
      plan: {
        spec,
        maxUnavailable: plan.maxUnavailable,
        totalPods: plan.counts.selectedPods,
        batches: plan.batches.map(({ index, keys, canary }) => ({
          index,
          pods: keys,
          canary,
        })),
        partitioned: plan.partitioned,
        skipped: skipped.slice(0, SKIPPED_LIMIT),
        warnings,
        fingerprint: planFingerprint(plan),
      },
      selected: plan.counts.selectedPods,
      withContainer: plan.counts.podsWithContainer,
      clusters: fanOut.clusters,
      partial: fanOut.partial,
    };
  }
}
