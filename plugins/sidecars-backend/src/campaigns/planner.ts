import type { V1Pod } from '@kubernetes/client-node';
import {
  locateContainer,
  otherHolder,
  planBatches,
  planWorkloadBatches,
  rolloutUnavailability,
  skipDecision,
  workloadBudget,
  workloadSkipDecision,
  type CampaignSpec,
  type ClusterAvailability,
  type PlanResponse,
  type SkipCode,
} from '@internal/plugin-sidecars-common';
import type { ClusterClient } from '../kubernetes/clusters';
import { acrossClusters } from '../kubernetes/fanout';
import { listPods, OwnerCache, readDeployment } from '../kubernetes/requests';

const SKIPPED_LIMIT = 500;

export interface PlanOutcome {
  plan: PlanResponse;
  /** Pods the selector matched. */
  selected: number;
  /** Selected pods that run the campaign's container at all. */
  withContainer: number;
  clusters: ClusterAvailability[];
  partial: boolean;
}

interface Skip {
  target: string;
  code: SkipCode | 'not-a-deployment' | 'over-budget';
  reason: string;
  holder?: string;
}

/** A pod (in-place mode) or Deployment (workload mode) the plan considered. */
interface Considered {
  key: string;
  labels: Record<string, string>;
  unavailability: number;
  skip?: Skip;
}

/** The label selector the worker selects a spec's pods with (entity specs carry their resolved selector). */
const labelSelectorOf = (spec: CampaignSpec) => spec.selector.labelSelector ?? '';

function warningsFor(skips: readonly Skip[], spec: CampaignSpec, clusters: readonly ClusterAvailability[], candidates: number): string[] {
  const warnings: string[] = [];
  for (const cluster of clusters.filter(c => !c.ok)) warnings.push(`cluster ${cluster.name} did not answer (${cluster.error}): its pods are missing from this plan`);
  const holders = new Map<string, number>();
  for (const skip of skips) if (skip.code === 'held' && skip.holder) holders.set(skip.holder, (holders.get(skip.holder) ?? 0) + 1);
  for (const [holder, pods] of holders) {
    warnings.push(`${pods} pod(s) are held by the running campaign ${holder} and will be skipped: wait for it to finish, or abort it first`);
  }
  const declared = skips.filter(s => s.code === 'declared-in-template');
  if (declared.length > 0) {
    warnings.push(
      `${declared.length} pod(s) declare ${spec.container} in their workload's pod template, so an in-place patch would be undone by the next rollout; they will be skipped: set mode to "workload" to upgrade them by restarting the workload`,
    );
  }
  const onTarget = skips.filter(s => s.code === 'on-target').length;
  if (onTarget > 0) warnings.push(`${onTarget} pod(s) already run ${spec.targetImage}`);
  if (candidates === 0) warnings.push('no pod would be upgraded by this campaign');
  return warnings;
}

/**
 * The dry run: selects the pods the worker would select, decides for each what the worker's claim
 * would decide (the shared skipDecision), and batches the rest with the worker's planBatches.
 */
export class CampaignPlanner {
  constructor(
    private readonly clients: readonly ClusterClient[],
    private readonly timeoutMs: number,
    private readonly isCampaignActive: (campaignId: string) => Promise<boolean>,
  ) {}

  async plan(spec: CampaignSpec): Promise<PlanOutcome> {
    const targets = spec.selector.clusters ? this.clients.filter(c => spec.selector.clusters!.includes(c.name)) : this.clients;
    const owners = new OwnerCache(this.timeoutMs);
    const activity = new Map<string, Promise<boolean>>();
    const isActive = (holder: string) => {
      if (!activity.has(holder)) activity.set(holder, this.isCampaignActive(holder));
      return activity.get(holder)!;
    };

    const fanOut = await acrossClusters(targets, this.timeoutMs, async cluster => {
      const pods: V1Pod[] = [];
      for await (const pod of listPods(cluster, { labelSelector: labelSelectorOf(spec), namespaces: spec.selector.namespaces }, this.timeoutMs)) pods.push(pod);
      const considered = spec.mode === 'workload' ? await this.workloads(cluster, spec, pods, owners, isActive) : await this.pods(cluster, spec, pods, owners, isActive);
      return { pods, considered };
    });

    const pods = fanOut.results.flatMap(r => r.value.pods);
    const considered = fanOut.results.flatMap(r => r.value.considered);
    const skips = considered.flatMap(c => (c.skip ? [c.skip] : []));
    const candidates = considered.filter(c => !c.skip);
    const batchPlan = spec.mode === 'workload' ? planWorkloadBatches(candidates, spec.strategy, pods.length) : planBatches(candidates, spec.strategy);
    const skipped = [
      ...skips.map(s => ({ target: s.target, reason: s.reason })),
      ...batchPlan.partitioned.map(target => ({ target, reason: 'left on the old version by the partition' })),
    ];
    const warnings = warningsFor(skips, spec, fanOut.clusters, candidates.length);
    if (skipped.length > SKIPPED_LIMIT) warnings.push(`${skipped.length} pods are skipped; the first ${SKIPPED_LIMIT} are listed`);

    return {
      plan: {
        spec,
        maxUnavailable: batchPlan.maxUnavailable,
        totalPods: pods.length,
        batches: batchPlan.batches.map((keys, index) => ({ index, pods: keys })),
        partitioned: batchPlan.partitioned,
        skipped: skipped.slice(0, SKIPPED_LIMIT),
        warnings,
      },
      selected: pods.length,
      withContainer: pods.filter(pod => locateContainer(pod, spec.container) !== undefined).length,
      clusters: fanOut.clusters,
      partial: fanOut.partial,
    };
  }

  /** In-place mode: each pod, decided as the worker's claim decides it. */
  private async pods(cluster: ClusterClient, spec: CampaignSpec, pods: V1Pod[], owners: OwnerCache, isActive: (holder: string) => Promise<boolean>): Promise<Considered[]> {
    const considered: Considered[] = [];
    for (const pod of pods) {
      const key = `${cluster.name}/${pod.metadata?.namespace}/${pod.metadata?.name}`;
      const holder = otherHolder(pod, undefined);
      const viaReplicaSet = pod.metadata?.ownerReferences?.some(o => o.controller && o.kind === 'ReplicaSet');
      const owner = viaReplicaSet ? await owners.ownerOf(cluster, pod) : undefined;
      const decision = skipDecision({
        pod,
        spec,
        holderActive: holder !== undefined && (await isActive(holder)),
        ownerTemplate: owner?.template?.spec
          ? {
              owner: `${owner.kind} ${pod.metadata?.namespace}/${owner.name}`,
              containers: [...owner.template.spec.containers, ...(owner.template.spec.initContainers ?? [])].map(c => c.name),
            }
          : undefined,
      });
      considered.push({ key, labels: pod.metadata?.labels ?? {}, unavailability: 1, ...(decision ? { skip: { target: key, ...decision, ...(holder ? { holder } : {}) } } : {}) });
    }
    return considered;
  }

  /** Workload mode: the Deployments owning the selected pods, decided and weighed as the worker does. */
  private async workloads(cluster: ClusterClient, spec: CampaignSpec, pods: V1Pod[], owners: OwnerCache, isActive: (holder: string) => Promise<boolean>): Promise<Considered[]> {
    const considered: Considered[] = [];
    const deployments = new Map<string, { namespace: string; name: string }>();
    for (const pod of pods) {
      const owner = await owners.ownerOf(cluster, pod);
      const namespace = pod.metadata?.namespace ?? '';
      if (owner.kind === 'Deployment') {
        deployments.set(`${cluster.name}/${namespace}/${owner.name}`, { namespace, name: owner.name });
        continue;
      }
      const key = `${cluster.name}/${namespace}/${pod.metadata?.name}`;
      const reason = 'pod is not managed by a Deployment: mode "workload" upgrades Deployments; use mode "in-place"';
      considered.push({ key, labels: {}, unavailability: 1, skip: { target: key, code: 'not-a-deployment', reason } });
    }
    const budget = workloadBudget(spec.strategy, pods.length);
    for (const [key, { namespace, name }] of deployments) {
      const deployment = await readDeployment(cluster, namespace, name, this.timeoutMs);
      if (!deployment) continue;
      const holder = otherHolder({ metadata: deployment.metadata }, undefined);
      const decision = workloadSkipDecision({ key, deployment, spec, holderActive: holder !== undefined && (await isActive(holder)), budget });
      const unavailability = rolloutUnavailability(deployment.spec);
      const skip: Skip | undefined = decision && { target: key, ...decision, ...(holder && decision.code === 'held' ? { holder } : {}) };
      considered.push({ key, labels: deployment.spec?.template.metadata?.labels ?? {}, unavailability, ...(skip ? { skip } : {}) });
    }
    return considered;
  }
}
