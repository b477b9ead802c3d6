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
import { assessHealth, CRASH_RESTARTS, type Health } from './pod-model';

export type TargetObject = V1Pod | V1Deployment;

/**
 * What a campaign changes: pods (in-place mode) or Deployments (workload mode). Everything the
 * activities do with a target goes through this, so both modes share one claim/patch/settle flow.
 */
export interface TargetKind<T extends TargetObject = TargetObject> {
  readonly noun: 'pod' | 'Deployment';
  /** JSON pointer of the pod spec holding the sidecar. */
  readonly podSpecPath: string;
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
}

export const podTargets: TargetKind<V1Pod> = {
  noun: 'pod',
  podSpecPath: '/spec',
  podSpec: pod => pod.spec,
  list: listPods,
  read: readPod,
  patch: patchPod,
  restarts: (pod, container) =>
    containerStatus(pod, container)?.restartCount ?? 0,
  health: async (_kc, pod, container, image, baseline, expired) =>
    assessHealth(pod, container, image, baseline, expired),
  available: isPodReady,
};

export const deploymentTargets: TargetKind<V1Deployment> = {
  noun: 'Deployment',
  podSpecPath: '/spec/template/spec',
  podSpec: deployment => deployment.spec?.template.spec,
  list: listDeployments,
  read: readDeployment,
  patch: patchDeployment,
  restarts: () => 0,
  health: rolloutHealth,
  available: deployment =>
    (deployment.status?.availableReplicas ?? 0) >=
    (deployment.spec?.replicas ?? 1),
};

export const targetKindFor = (mode: 'in-place' | 'workload'): TargetKind =>
  (mode === 'workload' ? deploymentTargets : podTargets) as TargetKind;

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
