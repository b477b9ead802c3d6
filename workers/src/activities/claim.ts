import { Context } from '@temporalio/activity';
import type { KubeConfig, V1Deployment, V1Pod } from '@kubernetes/client-node';
import {
  CAMPAIGN_ANNOTATIONS,
  CAMPAIGN_LABELS,
  otherHolder,
  planBatches,
  planWorkloadBatches,
  rolloutUnavailability,
  skipDecision,
  workloadBudget,
  workloadSkipDecision,
  type CampaignSpec,
  type OwnerTemplate,
  type PlannableWorkload,
} from '@internal/plugin-sidecars-common';
import type { CampaignRef, ClaimResult, SkippedTarget } from '@internal/sidecar-workflows';
import { readDeployment, readReplicaSet } from '../kube/api';
import { findContainer, metadataOps } from '../kube/pod-model';
import { podTargets, targetKindFor, type TargetObject } from '../kube/targets';
import { forEachLimited, objectsMatching, targetKey, type ActivityDependencies, type ClusterTarget } from './context';
import { guardedWrite } from './transitions';

const SKIP_SAMPLE = 20;
const CLAIM_CONCURRENCY = 8;

/** The label selector a spec selects pods with (an entity maps the way Backstage's Kubernetes plugin maps it). */
export function selectorOf(spec: CampaignSpec): string {
  if (spec.selector.labelSelector) return spec.selector.labelSelector;
  if (spec.selector.entityRef) return `backstage.io/kubernetes-id=${spec.selector.entityRef.replace(/^.*[:/]/, '')}`;
  return '';
}

interface Candidate extends PlannableWorkload {
  target: ClusterTarget;
}

interface Discovery {
  selected: number;
  candidates: Candidate[];
  skipped: SkippedTarget[];
  /** Pods behind the selection, which maxUnavailable percentages are taken of. */
  pods: number;
}

/**
 * Selects the spec's targets (pods in place, or their Deployments in workload mode), decides which
 * the campaign may take, plans them into batches and holds each with labels on it, so the plan
 * survives any crash and no other campaign touches them.
 */
export async function claimTargets(deps: ActivityDependencies, ref: CampaignRef): Promise<ClaimResult> {
  const holders = new HolderCache(deps);
  const discovery = ref.spec.mode === 'workload' ? await discoverWorkloads(deps, ref, holders) : await discoverPods(deps, ref, holders);
  const { batches, partitioned, maxUnavailable } = plan(discovery, ref.spec);
  const skipped = [...discovery.skipped, ...partitioned.map(target => ({ target, reason: 'left on the old version by the partition' }))];

  const assignments = batches.flatMap((candidates, batch) => candidates.map(candidate => ({ candidate, batch })));
  let claimed = 0;
  await forEachLimited(assignments, CLAIM_CONCURRENCY, async ({ candidate, batch }) => {
    const outcome = await hold(ref, candidate.target, batch);
    if (outcome === 'held') claimed += 1;
    else skipped.push({ target: candidate.key, reason: outcome });
    if ((claimed + skipped.length) % 100 === 0) Context.current().heartbeat({ phase: 'claiming', claimed });
  });

  return {
    selected: discovery.selected,
    claimed,
    totalBatches: batches.length,
    maxUnavailable,
    skipped: skipped.length,
    skippedSample: skipped.slice(0, SKIP_SAMPLE),
  };
}

/** Pods are planned by the shared planner; Deployments are packed so their rollouts together stay within maxUnavailable pods. */
function plan(discovery: Discovery, spec: CampaignSpec): { batches: Candidate[][]; partitioned: string[]; maxUnavailable: number } {
  const byKey = new Map(discovery.candidates.map(c => [c.key, c]));
  const planned = spec.mode === 'in-place' ? planBatches(discovery.candidates, spec.strategy) : planWorkloadBatches(discovery.candidates, spec.strategy, discovery.pods);
  return { batches: planned.batches.map(keys => keys.map(key => byKey.get(key)!)), partitioned: planned.partitioned, maxUnavailable: planned.maxUnavailable };
}

async function discoverPods(deps: ActivityDependencies, ref: CampaignRef, holders: HolderCache): Promise<Discovery> {
  const { spec } = ref;
  const templates = new OwnerCache();
  const discovery: Discovery = { selected: 0, candidates: [], skipped: [], pods: 0 };
  for await (const target of objectsMatching(deps, spec, podTargets, selectorOf(spec), spec.selector.namespaces)) {
    discovery.selected += 1;
    discovery.pods += 1;
    if (discovery.selected % 200 === 0) Context.current().heartbeat({ phase: 'selecting', selected: discovery.selected });
    const pod = target.object;
    const decision = skipDecision({
      pod,
      spec,
      campaignId: ref.campaignId,
      holderActive: await holders.isActive(otherHolder(pod, ref.campaignId)),
      ownerTemplate: (await templates.ownerOf(target.kc, pod))?.template,
    });
    const key = targetKey(target);
    if (decision) discovery.skipped.push({ target: key, reason: decision.reason });
    else discovery.candidates.push({ key, labels: pod.metadata?.labels ?? {}, target, unavailability: 1 });
  }
  return discovery;
}

async function discoverWorkloads(deps: ActivityDependencies, ref: CampaignRef, holders: HolderCache): Promise<Discovery> {
  const { spec } = ref;
  const owners = new OwnerCache();
  const discovery: Discovery = { selected: 0, candidates: [], skipped: [], pods: 0 };
  const deployments = new Map<string, { cluster: string; kc: KubeConfig; namespace: string; name: string }>();
  for await (const target of objectsMatching(deps, spec, podTargets, selectorOf(spec), spec.selector.namespaces)) {
    discovery.pods += 1;
    const owner = await owners.ownerOf(target.kc, target.object);
    if (!owner?.deployment) {
      discovery.selected += 1;
      discovery.skipped.push({ target: targetKey(target), reason: 'pod is not managed by a Deployment: mode "workload" upgrades Deployments; use mode "in-place"' });
      continue;
    }
    const namespace = target.object.metadata!.namespace!;
    deployments.set(`${target.cluster}/${namespace}/${owner.deployment}`, { cluster: target.cluster, kc: target.kc, namespace, name: owner.deployment });
  }
  const budget = workloadBudget(spec.strategy, discovery.pods);
  for (const [key, where] of deployments) {
    discovery.selected += 1;
    const deployment = await readDeployment(where.kc, where.namespace, where.name);
    if (!deployment) {
      discovery.skipped.push({ target: key, reason: 'Deployment deleted while the campaign selected it' });
      continue;
    }
    const reason = await workloadSkipReason(ref, deployment, key, budget, holders);
    const target: ClusterTarget = { cluster: where.cluster, kc: where.kc, object: deployment };
    if (reason) discovery.skipped.push({ target: key, reason });
    else discovery.candidates.push({ key, labels: deployment.spec?.template.metadata?.labels ?? {}, target, unavailability: rolloutUnavailability(deployment.spec) });
  }
  return discovery;
}

async function workloadSkipReason(ref: CampaignRef, deployment: V1Deployment, key: string, budget: number, holders: HolderCache): Promise<string | undefined> {
  const holderActive = await holders.isActive(otherHolder({ metadata: deployment.metadata }, ref.campaignId));
  return workloadSkipDecision({ key, deployment, spec: ref.spec, campaignId: ref.campaignId, holderActive, budget })?.reason;
}

/** Holds one target for the campaign and records its batch and previous image. */
async function hold(ref: CampaignRef, target: ClusterTarget, batch: number): Promise<'held' | string> {
  const kind = targetKindFor(ref.spec.mode);
  const outcome = await guardedWrite(ref, target, (object: TargetObject) => {
    const labels = object.metadata?.labels ?? {};
    const holder = labels[CAMPAIGN_LABELS.hold];
    if (holder && holder !== ref.campaignId) return { refuse: `claimed by campaign ${holder} meanwhile` };
    const container = findContainer(kind.podSpec(object), ref.spec.container);
    if (!container) return { refuse: `no container named ${ref.spec.container}` };
    const mine = holder === ref.campaignId;
    return [
      ...metadataOps(object, 'labels', {
        [CAMPAIGN_LABELS.hold]: ref.campaignId,
        [CAMPAIGN_LABELS.campaign]: ref.campaignId,
        [CAMPAIGN_LABELS.batch]: String(batch),
        [CAMPAIGN_LABELS.state]: mine ? (labels[CAMPAIGN_LABELS.state] ?? 'pending') : 'pending',
      }),
      ...metadataOps(object, 'annotations', {
        [CAMPAIGN_ANNOTATIONS.container]: ref.spec.container,
        [CAMPAIGN_ANNOTATIONS.targetImage]: ref.spec.targetImage,
        [CAMPAIGN_ANNOTATIONS.previousImage]: mine ? (object.metadata?.annotations?.[CAMPAIGN_ANNOTATIONS.previousImage] ?? container.image) : container.image,
        [CAMPAIGN_ANNOTATIONS.failureReason]: null,
      }),
    ];
  });
  if (outcome.kind === 'written') return 'held';
  return outcome.kind === 'gone' ? `${kind.noun} deleted before it was claimed` : outcome.reason;
}

/** Whether holders of other campaigns are still running, asked once per holder. */
class HolderCache {
  private readonly answers = new Map<string, Promise<boolean>>();
  constructor(private readonly deps: ActivityDependencies) {}

  isActive(holder: string | undefined): Promise<boolean> {
    if (holder === undefined) return Promise.resolve(false);
    if (!this.answers.has(holder)) this.answers.set(holder, this.deps.isCampaignActive(holder));
    return this.answers.get(holder)!;
  }
}

/** The owning Deployment and pod template of a ReplicaSet-owned pod, cached per ReplicaSet. */
class OwnerCache {
  private readonly owners = new Map<string, Promise<{ template: OwnerTemplate; deployment?: string } | undefined>>();

  ownerOf(kc: KubeConfig, pod: V1Pod): Promise<{ template: OwnerTemplate; deployment?: string } | undefined> {
    const owner = pod.metadata?.ownerReferences?.find(o => o.controller);
    if (owner?.kind !== 'ReplicaSet') return Promise.resolve(undefined);
    const namespace = pod.metadata!.namespace!;
    const cacheKey = `${kc.getCurrentCluster()?.server}/${namespace}/${owner.name}`;
    if (!this.owners.has(cacheKey)) {
      this.owners.set(
        cacheKey,
        readReplicaSet(kc, namespace, owner.name).then(rs => {
          const spec = rs?.spec?.template?.spec;
          if (!spec) return undefined;
          const deployment = rs.metadata?.ownerReferences?.find(o => o.kind === 'Deployment')?.name;
          return {
            deployment,
            template: {
              owner: deployment ? `Deployment ${namespace}/${deployment}` : `ReplicaSet ${namespace}/${owner.name}`,
              containers: [...spec.containers, ...(spec.initContainers ?? [])].map(c => c.name),
            },
          };
        }),
      );
    }
    return this.owners.get(cacheKey)!;
  }
}
