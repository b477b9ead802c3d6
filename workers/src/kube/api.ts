import {
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  type V1Deployment,
  type V1Pod,
  type V1PodList,
} from '@kubernetes/client-node';
import {
  listSnapshot,
  orUndefined,
  paginate,
  withRetries,
  type LabelQuery,
  type PageRequest,
} from '@internal/plugin-sidecars-node';
import { jsonListPage, jsonPatch } from './json-requests';

export type JsonPatchOperation =
  | { op: 'test' | 'add' | 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

/** Pods the campaign's watch starts from are listed this many at a time. */
const WATCH_LIST_PAGE = 2_000;

export function listPods(
  kc: KubeConfig,
  query: LabelQuery,
): AsyncGenerator<V1Pod> {
  const page = (path: string, request: PageRequest) =>
    withRetries('list pods', async () => {
      const list = await jsonListPage<V1Pod>(kc, path, {
        ...request,
        continue: request._continue,
      });
      return {
        items: list.items,
        metadata: { _continue: list.metadata?.continue },
      };
    });
  return paginate(
    query,
    (namespace, request) =>
      page(`/api/v1/namespaces/${namespace}/pods`, request),
    request => page('/api/v1/pods', request),
  );
}

/**
 * Every pod matching `labelSelector` as `view` shows it, with the resourceVersion to watch from:
 * listed in pages (one consistent snapshot), since one answer for 100,000 pods would outgrow V8's
 * largest string.
 */
export async function listPodsToWatch(
  kc: KubeConfig,
  labelSelector: string,
  view: (pod: V1Pod) => V1Pod,
): Promise<V1PodList> {
  const { items, resourceVersion } = await listSnapshot(async token => {
    const page = await withRetries('list pods', () =>
      jsonListPage<V1Pod>(kc, '/api/v1/pods', {
        labelSelector,
        limit: WATCH_LIST_PAGE,
        continue: token,
      }),
    );
    return {
      items: page.items,
      continueToken: page.metadata?.continue,
      resourceVersion: page.metadata?.resourceVersion,
    };
  }, view);
  return { metadata: { resourceVersion }, items };
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
