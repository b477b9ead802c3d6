import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import {
  locateContainer,
  otherHolder,
  rolloutUnavailability,
  skipDecision,
  workloadSkipDecision,
  type CampaignSpec,
  type SkipCode,
} from '@internal/plugin-sidecars-common';
import { podQueryOf } from './entitySelection';
import { onePassReader, type ClusterReader } from './kube/reader';
import { claimablePod, declaredContainerNames } from './podFacts';

/** A pod (mode in-place) or Deployment (mode workload) the campaign may take. */
export interface Target {
  /** `cluster/namespace/name`, unique. */
  key: string;
  cluster: string;
  object: V1Pod | V1Deployment;
  /** The labels the batch order reads (a Deployment's are its pod template's). */
  labels: Record<string, string>;
  /** Pods its change takes down at once: 1 for a pod, its rollout's maxUnavailable for a Deployment. */
  weight: number;
}

export type TargetSkipCode =
  SkipCode | 'not-a-deployment' | 'deleted' | 'over-budget';

export interface SkippedTarget {
  target: string;
  code: TargetSkipCode;
  /** What keeps the target out and, where one exists, the fix. */
  reason: string;
  /** The running campaign holding it, for code "held". */
  holder?: string;
}

/** What one cluster holds for a spec. */
export interface ClusterDiscovery {
  cluster: string;
  /** Pods the selector matched, whatever became of them. */
  selectedPods: number;
  /** Selected pods that run the campaign's container at all. */
  podsWithContainer: number;
  candidates: Target[];
  skipped: SkippedTarget[];
}

export interface DiscoveryOptions {
  /** The campaign asking; undefined for a preview, which nothing can be held by yet. */
  campaignId?: string;
  /** Called as pods are read, e.g. to heartbeat. */
  onProgress?: (pods: number) => void;
}

const keyOf = (cluster: string, object: V1Pod | V1Deployment) =>
  `${cluster}/${object.metadata?.namespace}/${object.metadata?.name}`;

/**
 * The spec's targets in one cluster and why each other one is left alone: pods in mode in-place;
 * in mode workload, the Deployments owning the selected pods (a pod without one is skipped).
 */
export async function discoverTargets(
  spec: CampaignSpec,
  clusterReader: ClusterReader,
  options: DiscoveryOptions = {},
): Promise<ClusterDiscovery> {
  const reader = onePassReader(clusterReader);
  const discovery: ClusterDiscovery = {
    cluster: reader.cluster,
    selectedPods: 0,
    podsWithContainer: 0,
    candidates: [],
    skipped: [],
  };
  const holderActive = async (holder: string | undefined) =>
    holder !== undefined && (await reader.isCampaignActive(holder));
  const deployments = new Map<string, { namespace: string; name: string }>();

  for await (const pod of reader.listPods(podQueryOf(spec))) {
    discovery.selectedPods += 1;
    if (locateContainer(pod, spec.container)) discovery.podsWithContainer += 1;
    options.onProgress?.(discovery.selectedPods);
    const key = keyOf(reader.cluster, pod);
    const owner = await reader.ownerOf(pod);
    if (spec.mode === 'workload') {
      const namespace = pod.metadata?.namespace ?? '';
      if (owner.kind === 'Deployment')
        deployments.set(`${reader.cluster}/${namespace}/${owner.name}`, {
          namespace,
          name: owner.name,
        });
      else
        discovery.skipped.push({
          target: key,
          code: 'not-a-deployment',
          reason:
            'pod is not managed by a Deployment: mode "workload" upgrades Deployments; use mode "in-place"',
        });
      continue;
    }
    const holder = otherHolder(pod, options.campaignId);
    const decision = skipDecision({
      pod,
      spec,
      campaignId: options.campaignId,
      holderActive: await holderActive(holder),
      ownerTemplate: owner.template?.spec
        ? {
            owner: `${owner.kind} ${pod.metadata?.namespace}/${owner.name}`,
            containers: declaredContainerNames(owner.template.spec),
          }
        : undefined,
    });
    if (decision)
      discovery.skipped.push({
        target: key,
        ...decision,
        ...(decision.code === 'held' ? { holder } : {}),
      });
    else
      discovery.candidates.push({
        key,
        cluster: reader.cluster,
        object: claimablePod(pod),
        labels: pod.metadata?.labels ?? {},
        weight: 1,
      });
  }

  for (const [key, { namespace, name }] of deployments) {
    const deployment = await reader.readDeployment(namespace, name);
    if (!deployment) {
      discovery.skipped.push({
        target: key,
        code: 'deleted',
        reason: 'Deployment deleted while the campaign selected it',
      });
      continue;
    }
    const holder = otherHolder(
      { metadata: deployment.metadata },
      options.campaignId,
    );
    const decision = workloadSkipDecision({
      key,
      deployment,
      spec,
      campaignId: options.campaignId,
      holderActive: await holderActive(holder),
    });
    if (decision)
      discovery.skipped.push({
        target: key,
        ...decision,
        ...(decision.code === 'held' ? { holder } : {}),
      });
    else
      discovery.candidates.push({
        key,
        cluster: reader.cluster,
        object: deployment,
        labels: deployment.spec?.template.metadata?.labels ?? {},
        weight: rolloutUnavailability(deployment.spec),
      });
  }
  return discovery;
}
