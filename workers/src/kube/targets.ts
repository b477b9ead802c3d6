import type {
  KubeConfig,
  V1Deployment,
  V1Pod,
  V1PodSpec,
} from '@kubernetes/client-node';
import {
  containerStatus,
  isPodReady,
  type LabelQuery,
} from '@internal/plugin-sidecars-node';
import {
  listDeployments,
  listPods,
  patchDeployment,
  patchPod,
  readDeployment,
  readPod,
  type JsonPatchOperation,
} from './api';
import {
  imageReplaceOps,
  nativeMoveOps,
  type ChangeDirection,
  type ContainerChange,
} from './container-change';
import { assessHealth, CRASH_RESTARTS, type Health } from './pod-model';
import type { CampaignSpec } from '@internal/plugin-sidecars-common';

export type TargetObject = V1Pod | V1Deployment;

/**
 * What a campaign changes: pods (in-place mode) or Deployments (workload and to-native modes).
 * Everything the activities do with a target goes through this, so every mode shares one
 * claim/patch/settle flow.
 */
export interface TargetKind<T extends TargetObject = TargetObject> {
  readonly noun: 'pod' | 'Deployment';
  podSpec(object: T): V1PodSpec | undefined;
  list(kc: KubeConfig, query: LabelQuery): AsyncGenerator<T>;
  read(kc: KubeConfig, namespace: string, name: string): Promise<T | undefined>;
  patch(
    kc: KubeConfig,
    namespace: string,
    name: string,
    ops: JsonPatchOperation[],
  ): Promise<T>;
  /** Restart count of the sidecar right now, the baseline for crash-loop detection. */
  restarts(object: T, container: string): number;
  health(
    kc: KubeConfig,
    object: T,
    container: string,
    expectedImage: string,
    baselineRestarts: number,
    expired: boolean,
  ): Promise<Health>;
  available(object: T): boolean;
  /** The write that changes `container` from `from` to `to` (forward, or back when restoring). */
  changeOps(
    object: T,
    container: string,
    from: string,
    to: string,
    direction: ChangeDirection,
  ): ContainerChange;
}

export const podTargets: TargetKind<V1Pod> = {
  noun: 'pod',
  podSpec: pod => pod.spec,
  list: listPods,
  read: readPod,
  patch: patchPod,
  restarts: (pod, container) =>
    containerStatus(pod, container)?.restartCount ?? 0,
  health: async (_kc, pod, container, image, baseline, expired) =>
    assessHealth(pod, container, image, baseline, expired),
  available: isPodReady,
  changeOps: (pod, container, from, to) =>
    imageReplaceOps(pod.spec, '/spec', container, from, to),
};

export const deploymentTargets: TargetKind<V1Deployment> = {
  noun: 'Deployment',
  podSpec: deployment => deployment.spec?.template.spec,
  list: listDeployments,
  read: readDeployment,
  patch: patchDeployment,
  restarts: () => 0,
  health: rolloutHealth,
  available: deployment =>
    (deployment.status?.availableReplicas ?? 0) >=
    (deployment.spec?.replicas ?? 1),
  changeOps: (deployment, container, from, to) =>
    imageReplaceOps(
      deployment.spec?.template.spec,
      '/spec/template/spec',
      container,
      from,
      to,
    ),
};

/** Mode to-native: Deployments whose change moves the sidecar to a native one, rolled out like mode workload's. */
export const nativeMoveTargets: TargetKind<V1Deployment> = {
  ...deploymentTargets,
  changeOps: nativeMoveOps,
};

const KINDS: Record<CampaignSpec['mode'], TargetKind> = {
  'in-place': podTargets as TargetKind,
  workload: deploymentTargets as TargetKind,
  'to-native': nativeMoveTargets as TargetKind,
};

export const targetKindFor = (mode: CampaignSpec['mode']): TargetKind =>
  KINDS[mode];

/**
 * A Deployment counts as upgraded when its rollout of the new template is complete: every replica
 * updated and available. A rollout past its progress deadline, or new pods crash-looping on the
 * image, is a failure.
 */
async function rolloutHealth(
  kc: KubeConfig,
  deployment: V1Deployment,
  container: string,
  image: string,
  _baseline: number,
  expired: boolean,
): Promise<Health> {
  const replicas = deployment.spec?.replicas ?? 1;
  const status = deployment.status;
  const stalled = status?.conditions?.find(
    c => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded',
  );
  if (stalled)
    return {
      kind: 'failed',
      reason: `rollout stalled: ${stalled.message ?? 'progress deadline exceeded'}`,
    };
  const observed =
    (status?.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0);
  const complete =
    observed &&
    (status?.updatedReplicas ?? 0) === replicas &&
    (status?.availableReplicas ?? 0) === replicas &&
    (status?.replicas ?? 0) === replicas;
  if (complete) return { kind: 'healthy' };
  const selector = Object.entries(deployment.spec?.selector.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  for await (const pod of listPods(kc, {
    labelSelector: selector,
    namespaces: [deployment.metadata!.namespace!],
  })) {
    const sidecar = containerStatus(pod, container);
    if (sidecar?.image === image && sidecar.restartCount > CRASH_RESTARTS) {
      return {
        kind: 'failed',
        reason: `new pod ${pod.metadata?.name}: ${container} restarted ${sidecar.restartCount} times on ${image}`,
      };
    }
  }
  const detail = `${status?.updatedReplicas ?? 0}/${replicas} updated, ${status?.availableReplicas ?? 0}/${replicas} available`;
  if (expired)
    return {
      kind: 'failed',
      reason: `rollout not complete within the health timeout (${detail})`,
    };
  return { kind: 'pending', detail };
}
