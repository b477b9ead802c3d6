import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type V1Deployment,
  type V1Pod,
} from '@kubernetes/client-node';
import pRetry, { AbortError } from 'p-retry';

export type JsonPatchOperation =
  | { op: 'test' | 'add' | 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

/** HTTP status of a Kubernetes API error, if it is one. */
export function statusOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** Conflicts (a JSON-patch `test` or resourceVersion mismatch) mean "re-read, then decide". */
export const isConflict = (error: unknown) => statusOf(error) === 409 || statusOf(error) === 422;
export const isNotFound = (error: unknown) => statusOf(error) === 404;

function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  if (status === undefined) return true; // network errors: connection refused, reset, timeout
  return status === 429 || status >= 500;
}

/** Retries throttling, server errors and network failures with exponential backoff. */
export function withRetries<T>(what: string, call: () => Promise<T>): Promise<T> {
  return pRetry(
    async () => {
      try {
        return await call();
      } catch (error) {
        if (!isTransient(error)) throw new AbortError(error instanceof Error ? error : new Error(String(error)));
        throw error instanceof Error ? error : new Error(`${what}: ${String(error)}`);
      }
    },
    { retries: 6, minTimeout: 200, maxTimeout: 5_000, factor: 2, randomize: true },
  );
}

export interface LabelQuery {
  labelSelector: string;
  namespaces?: readonly string[];
  pageSize?: number;
}

interface Page<T> {
  items: T[];
  metadata?: { _continue?: string };
}
type PageRequest = { labelSelector: string; limit: number; _continue?: string };

/** Pages through a list call with a server-side label selector; never one unbounded list. */
async function* paginate<T>(
  what: string,
  query: LabelQuery,
  inNamespace: (namespace: string, request: PageRequest) => Promise<Page<T>>,
  everywhere: (request: PageRequest) => Promise<Page<T>>,
): AsyncGenerator<T> {
  const limit = query.pageSize ?? 500;
  const scopes = query.namespaces && query.namespaces.length > 0 ? query.namespaces : [undefined];
  for (const namespace of scopes) {
    let cont: string | undefined;
    do {
      const request = { labelSelector: query.labelSelector, limit, _continue: cont };
      const page = await withRetries(what, () => (namespace ? inNamespace(namespace, request) : everywhere(request)));
      yield* page.items;
      cont = page.metadata?._continue || undefined;
    } while (cont);
  }
}

export function listPods(kc: KubeConfig, query: LabelQuery): AsyncGenerator<V1Pod> {
  const core = kc.makeApiClient(CoreV1Api);
  return paginate('list pods', query, (namespace, r) => core.listNamespacedPod({ namespace, ...r }), r => core.listPodForAllNamespaces(r));
}

export function listDeployments(kc: KubeConfig, query: LabelQuery): AsyncGenerator<V1Deployment> {
  const apps = kc.makeApiClient(AppsV1Api);
  return paginate('list deployments', query, (namespace, r) => apps.listNamespacedDeployment({ namespace, ...r }), r => apps.listDeploymentForAllNamespaces(r));
}

/** Reads one object; undefined when it does not exist (any more). */
async function readOrUndefined<T>(what: string, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await withRetries(what, read);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export const readPod = (kc: KubeConfig, namespace: string, name: string) =>
  readOrUndefined('read pod', () => kc.makeApiClient(CoreV1Api).readNamespacedPod({ namespace, name }));

export const readReplicaSet = (kc: KubeConfig, namespace: string, name: string) =>
  readOrUndefined('read replicaset', () => kc.makeApiClient(AppsV1Api).readNamespacedReplicaSet({ namespace, name }));

export const readDeployment = (kc: KubeConfig, namespace: string, name: string) =>
  readOrUndefined('read deployment', () => kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace, name }));

export const patchPod = (kc: KubeConfig, namespace: string, name: string, operations: JsonPatchOperation[]) =>
  withRetries('patch pod', () => kc.makeApiClient(CoreV1Api).patchNamespacedPod({ namespace, name, body: operations }, jsonPatch));

export const patchDeployment = (kc: KubeConfig, namespace: string, name: string, operations: JsonPatchOperation[]) =>
  withRetries('patch deployment', () => kc.makeApiClient(AppsV1Api).patchNamespacedDeployment({ namespace, name, body: operations }, jsonPatch));
