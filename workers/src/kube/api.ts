import {
  AppsV1Api,
  CoreV1Api,
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
import { jsonPatch } from './json-patch';

export type JsonPatchOperation =
  | { op: 'test' | 'add' | 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

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
    jsonPatch<V1Pod>(
      kc,
      `/api/v1/namespaces/${namespace}/pods/${name}`,
      operations,
    ),
  );

export const patchDeployment = (
  kc: KubeConfig,
  namespace: string,
  name: string,
  operations: JsonPatchOperation[],
) =>
  withRetries('patch deployment', () =>
    jsonPatch<V1Deployment>(
      kc,
      `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`,
      operations,
    ),
  );
