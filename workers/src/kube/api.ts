import {
  AppsV1Api,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type V1Deployment,
  type V1Pod,
} from '@kubernetes/client-node';
import {
  orUndefined,
  paginate,
  withRetries,
  type LabelQuery,
} from '@internal/plugin-sidecars-node';

export type JsonPatchOperation =
  | { op: 'test' | 'add' | 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

export function listPods(
  kc: KubeConfig,
  query: LabelQuery,
): AsyncGenerator<V1Pod> {
  const core = kc.makeApiClient(CoreV1Api);
  return paginate(
    query,
    (namespace, r) =>
      withRetries('list pods', () =>
        core.listNamespacedPod({ namespace, ...r }),
      ),
    r => withRetries('list pods', () => core.listPodForAllNamespaces(r)),
  );
}

export function listDeployments(
  kc: KubeConfig,
  query: LabelQuery,
): AsyncGenerator<V1Deployment> {
  const apps = kc.makeApiClient(AppsV1Api);
  return paginate(
    query,
    (namespace, r) =>
      withRetries('list deployments', () =>
        apps.listNamespacedDeployment({ namespace, ...r }),
      ),
    r =>
      withRetries('list deployments', () =>
        apps.listDeploymentForAllNamespaces(r),
      ),
  );
}

export const readPod = (kc: KubeConfig, namespace: string, name: string) =>
  orUndefined(
    withRetries('read pod', () =>
      kc.makeApiClient(CoreV1Api).readNamespacedPod({ namespace, name }),
    ),
  );

export const readDeployment = (
  kc: KubeConfig,
  namespace: string,
  name: string,
) =>
  orUndefined(
    withRetries('read deployment', () =>
      kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace, name }),
    ),
  );

export const patchPod = (
  kc: KubeConfig,
  namespace: string,
  name: string,
  operations: JsonPatchOperation[],
) =>
  withRetries('patch pod', () =>
    kc
      .makeApiClient(CoreV1Api)
      .patchNamespacedPod({ namespace, name, body: operations }, jsonPatch),
  );

export const patchDeployment = (
  kc: KubeConfig,
  namespace: string,
  name: string,
  operations: JsonPatchOperation[],
) =>
  withRetries('patch deployment', () =>
    kc
      .makeApiClient(AppsV1Api)
      .patchNamespacedDeployment(
        { namespace, name, body: operations },
        jsonPatch,
      ),
  );
