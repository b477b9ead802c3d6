import { Context } from '@temporalio/activity';
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import {
  CAMPAIGN_ANNOTATIONS,
  CAMPAIGN_LABELS,
  planBatches,
  type CampaignSpec,
  type PlannablePod,
} from '@internal/plugin-sidecars-common';
import type { CampaignRef, ClaimResult, SkippedTarget } from '@internal/sidecar-workflows';
import { isConflict, patchPod, readPod, readReplicaSet } from '../kube/api';
import { findContainer, guardOps, metadataOps, podKey } from '../kube/pod-model';
import { forEachLimited, podsMatching, type ActivityDependencies, type ClusterPod } from './context';

const SKIP_SAMPLE = 20;
const CLAIM_CONCURRENCY = 8;

/** The label selector a spec selects pods with (an entity maps the way Backstage's Kubernetes plugin maps it). */
export function selectorOf(spec: CampaignSpec): string {
  if (spec.selector.labelSelector) return spec.selector.labelSelector;
  if (spec.selector.entityRef) return `backstage.io/kubernetes-id=${spec.selector.entityRef.replace(/^.*[:/]/, '')}`;
  return '';
}

interface Candidate extends PlannablePod {
  target: ClusterPod;
}

/**
 * Selects the spec's pods, decides which the campaign may take, plans them into batches and
 * holds each with labels on the pod, so the plan survives any crash and no other campaign
 * touches them.
 */
export async function claimTargets(deps: ActivityDependencies, ref: CampaignRef): Promise<ClaimResult> {
  const { spec } = ref;
  const skipped: SkippedTarget[] = [];
  const candidates: Candidate[] = [];
  const templates = new TemplateCache();
  const activeHolders = new Map<string, boolean>();
  let selected = 0;

  for await (const target of podsMatching(deps, spec, selectorOf(spec), spec.selector.namespaces)) {
    selected += 1;
    if (selected % 200 === 0) Context.current().heartbeat({ phase: 'selecting', selected });
    const reason = await skipReason(target, ref, templates, async holder => {
      if (!activeHolders.has(holder)) activeHolders.set(holder, await deps.isCampaignActive(holder));
      return activeHolders.get(holder)!;
    });
    const key = podKey(target.cluster, target.pod);
    if (reason) skipped.push({ target: key, reason });
    else candidates.push({ key, labels: target.pod.metadata?.labels ?? {}, target });
  }

  const plan = planBatches(candidates, spec.strategy);
  const byKey = new Map(candidates.map(c => [c.key, c]));
  for (const key of plan.partitioned) skipped.push({ target: key, reason: 'left on the old version by the partition' });

  const assignments = plan.batches.flatMap((keys, batch) => keys.map(key => ({ candidate: byKey.get(key)!, batch })));
  let claimed = 0;
  await forEachLimited(assignments, CLAIM_CONCURRENCY, async ({ candidate, batch }) => {
    const outcome = await holdPod(candidate.target, ref, batch);
    if (outcome === 'held') claimed += 1;
    else skipped.push({ target: candidate.key, reason: outcome });
    if ((claimed + skipped.length) % 100 === 0) Context.current().heartbeat({ phase: 'claiming', claimed });
  });

  return {
    selected,
    claimed,
    totalBatches: plan.batches.length,
    maxUnavailable: plan.maxUnavailable,
    skipped: skipped.length,
    skippedSample: skipped.slice(0, SKIP_SAMPLE),
  };
}

async function skipReason(
  { kc, pod }: ClusterPod,
  ref: CampaignRef,
  templates: TemplateCache,
  isActive: (holder: string) => Promise<boolean>,
): Promise<string | undefined> {
  const { spec, campaignId } = ref;
  if (pod.metadata?.deletionTimestamp) return 'pod is being deleted';
  const container = findContainer(pod.spec, spec.container);
  if (!container) return `pod has no container named ${spec.container}`;
  if (container.list === 'initContainers' && !container.native) return `${spec.container} is an init container that runs to completion, not a sidecar`;
  const holder = pod.metadata?.labels?.[CAMPAIGN_LABELS.hold];
  if (holder && holder !== campaignId && (await isActive(holder))) return `held by campaign ${holder}`;
  if (container.image === spec.targetImage && holder !== campaignId) return `already runs ${spec.targetImage}`;
  if (spec.mode === 'in-place') {
    const owner = await templates.declaringOwner(kc, pod, spec.container);
    if (owner) return `${spec.container} is declared in ${owner}'s pod template, so an in-place patch would be undone by its next rollout: use mode "workload"`;
  }
  return undefined;
}

/** Holds one pod for the campaign and records its batch and previous image; re-reads on conflict. */
async function holdPod({ kc, pod: listed }: ClusterPod, ref: CampaignRef, batch: number): Promise<'held' | string> {
  let pod: V1Pod | undefined = listed;
  for (let attempt = 0; attempt < 5 && pod; attempt++) {
    const labels = pod.metadata?.labels ?? {};
    const holder = labels[CAMPAIGN_LABELS.hold];
    if (holder && holder !== ref.campaignId) return `claimed by campaign ${holder} meanwhile`;
    const container = findContainer(pod.spec, ref.spec.container);
    if (!container) return `pod has no container named ${ref.spec.container}`;
    const mine = holder === ref.campaignId;
    const ops = [
      ...guardOps(pod),
      ...metadataOps(pod, 'labels', {
        [CAMPAIGN_LABELS.hold]: ref.campaignId,
        [CAMPAIGN_LABELS.campaign]: ref.campaignId,
        [CAMPAIGN_LABELS.batch]: String(batch),
        [CAMPAIGN_LABELS.state]: mine ? (labels[CAMPAIGN_LABELS.state] ?? 'pending') : 'pending',
      }),
      ...metadataOps(pod, 'annotations', {
        [CAMPAIGN_ANNOTATIONS.container]: ref.spec.container,
        [CAMPAIGN_ANNOTATIONS.targetImage]: ref.spec.targetImage,
        [CAMPAIGN_ANNOTATIONS.previousImage]: mine ? (pod.metadata?.annotations?.[CAMPAIGN_ANNOTATIONS.previousImage] ?? container.image) : container.image,
        [CAMPAIGN_ANNOTATIONS.failureReason]: null,
      }),
    ];
    try {
      await patchPod(kc, pod.metadata!.namespace!, pod.metadata!.name!, ops);
      return 'held';
    } catch (error) {
      if (!isConflict(error)) throw error;
      pod = await readPod(kc, pod.metadata!.namespace!, pod.metadata!.name!);
    }
  }
  return pod ? 'kept changing while being claimed' : 'pod deleted before it was claimed';
}

/** Which owning workload declares a container in its pod template, cached per ReplicaSet. */
class TemplateCache {
  private readonly owners = new Map<string, Promise<{ name: string; declared: Set<string> } | undefined>>();

  async declaringOwner(kc: KubeConfig, pod: V1Pod, container: string): Promise<string | undefined> {
    const owner = pod.metadata?.ownerReferences?.find(o => o.controller);
    if (owner?.kind !== 'ReplicaSet') return undefined;
    const namespace = pod.metadata!.namespace!;
    const cacheKey = `${kc.getCurrentCluster()?.server}/${namespace}/${owner.name}`;
    if (!this.owners.has(cacheKey)) {
      this.owners.set(
        cacheKey,
        readReplicaSet(kc, namespace, owner.name).then(rs => {
          const spec = rs?.spec?.template?.spec;
          if (!spec) return undefined;
          const deployment = rs.metadata?.ownerReferences?.find(o => o.kind === 'Deployment');
          return {
            name: deployment ? `Deployment ${namespace}/${deployment.name}` : `ReplicaSet ${namespace}/${owner.name}`,
            declared: new Set([...spec.containers, ...(spec.initContainers ?? [])].map(c => c.name)),
          };
        }),
      );
    }
    const found = await this.owners.get(cacheKey)!;
    return found?.declared.has(container) ? found.name : undefined;
  }
}
