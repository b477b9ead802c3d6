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
  type Page,
  type PageRequest,
} from '@internal/plugin-sidecars-node';
import { jsonListPage, jsonPatch } from './json-requests';

export type JsonPatchOperation =
  | { op: 'test' | 'add' | 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

/** One page of the pods at `path` (all namespaces' or one's), as plain JSON, retried. */
export function listPodPage(
  kc: KubeConfig,
  path: string,
  request: PageRequest,
): Promise<Page<V1Pod>> {
  return withRetries('list pods', async () => {
    const list = await jsonListPage<V1Pod>(kc, path, {
      ...request,
      continue: request._continue,
    });
    return {
      items: list.items,
      metadata: {
        _continue: list.metadata?.continue,
        resourceVersion: list.metadata?.resourceVersion,
      },
    };
  });
}

export function listPods(
  kc: KubeConfig,
  query: LabelQuery,
): AsyncGenerator<V1Pod> {
  return paginate(
    query,
    (namespace, request) =>
      listPodPage(kc, `/api/v1/namespaces/${namespace}/pods`, request),
    request => listPodPage(kc, '/api/v1/pods', request),
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
