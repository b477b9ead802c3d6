import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import {
  locateContainer,
  otherHolder,
  rolloutUnavailability,
  skipDecision,
  toNativeSkipDecision,
  workloadSkipDecision,
  type CampaignSpec,
  type SkipCode,
  type SkipDecision,
  type ToNativeSkipCode,
  type ToNativeSkipDecision,
} from '@internal/plugin-sidecars-common';
import { describeInjector } from './injectors';
import { podQueryOf } from './entitySelection';
import { onePassReader, type ClusterReader } from './kube/reader';
import { claimablePod, declaredContainerNames } from './podFacts';

/** A pod (mode in-place) or Deployment (modes workload and to-native) the campaign may take. */
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
  SkipCode | ToNativeSkipCode | 'not-a-deployment' | 'deleted' | 'over-budget';

export interface SkippedTarget {
  target: string;
  code: TargetSkipCode;
  /** What keeps the target out and, where one exists, the fix. */
  reason: string;
  /** The running campaign holding it, for code "held". */
  holder?: string;
  /** The injector that adds the sidecar, for code "injected" (mode to-native), when known. */
  injector?: string;
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
 * in modes workload and to-native, the Deployments owning the selected pods (a pod without one is
 * skipped).
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
  const deployments = new Map<
    string,
    { namespace: string; name: string; podWithContainer?: V1Pod }
  >();

  for await (const pod of reader.listPods(podQueryOf(spec))) {
    discovery.selectedPods += 1;
    const withContainer = locateContainer(pod, spec.container) !== undefined;
    if (withContainer) discovery.podsWithContainer += 1;
    options.onProgress?.(discovery.selectedPods);
    const key = keyOf(reader.cluster, pod);
    const owner = await reader.ownerOf(pod);
    if (spec.mode !== 'in-place') {
      const namespace = pod.metadata?.namespace ?? '';
      const deploymentKey = `${reader.cluster}/${namespace}/${owner.name}`;
      if (owner.kind === 'Deployment')
        deployments.set(deploymentKey, {
          namespace,
          name: owner.name,
          podWithContainer: withContainer
            ? pod
            : deployments.get(deploymentKey)?.podWithContainer,
        });
      else
        discovery.skipped.push({
          target: key,
          code: 'not-a-deployment',
          reason: `pod is not managed by a Deployment: mode "${spec.mode}" changes Deployments' pod templates; ${spec.mode === 'workload' ? 'use mode "in-place"' : "move the sidecar in the pod's own manifest"}`,
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

  for (const [key, { namespace, name, podWithContainer }] of deployments) {
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
    const question = {
      key,
      deployment,
      campaignId: options.campaignId,
      holderActive: await holderActive(holder),
    };
    const decision: SkipDecision | ToNativeSkipDecision | undefined =
      spec.mode === 'to-native'
        ? await toNativeDecision(reader, question, spec, podWithContainer)
        : workloadSkipDecision({ ...question, spec });
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

/** The to-native rules for one Deployment; the injector is looked up only for a sidecar its pods get at admission. */
async function toNativeDecision(
  reader: ClusterReader,
  question: {
    key: string;
    deployment: V1Deployment;
    campaignId?: string;
    holderActive: boolean;
  },
  spec: CampaignSpec,
  podWithContainer: V1Pod | undefined,
): Promise<ToNativeSkipDecision | undefined> {
  const ask = (injector?: string) =>
    toNativeSkipDecision({
      ...question,
      container: spec.container,
      injectedInPods: podWithContainer !== undefined,
      ...(injector ? { injector } : {}),
    });
  const decision = ask();
  if (decision?.code !== 'injected' || !reader.injectionPolicies)
    return decision;
  const injector = describeInjector(
    await reader.injectionPolicies(),
    podWithContainer!,
    spec.container,
  );
  return injector ? ask(injector) : decision;
}
