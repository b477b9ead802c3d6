import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
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

export interface PodQuery {
  labelSelector: string;
  namespaces?: readonly string[];
  pageSize?: number;
}

/** Pages through pods matching a server-side label selector; never one unbounded list. */
export async function* listPods(kc: KubeConfig, query: PodQuery): AsyncGenerator<V1Pod> {
  const core = kc.makeApiClient(CoreV1Api);
  const limit = query.pageSize ?? 500;
  const scopes = query.namespaces && query.namespaces.length > 0 ? query.namespaces : [undefined];
  for (const namespace of scopes) {
    let cont: string | undefined;
    do {
      const page = await withRetries('list pods', () =>
        namespace
          ? core.listNamespacedPod({ namespace, labelSelector: query.labelSelector, limit, _continue: cont })
          : core.listPodForAllNamespaces({ labelSelector: query.labelSelector, limit, _continue: cont }),
      );
      yield* page.items;
      cont = page.metadata?._continue || undefined;
    } while (cont);
  }
}

export async function readPod(kc: KubeConfig, namespace: string, name: string): Promise<V1Pod | undefined> {
  try {
    return await withRetries('read pod', () => kc.makeApiClient(CoreV1Api).readNamespacedPod({ namespace, name }));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export function patchPod(kc: KubeConfig, namespace: string, name: string, operations: JsonPatchOperation[]): Promise<V1Pod> {
  return withRetries('patch pod', () => kc.makeApiClient(CoreV1Api).patchNamespacedPod({ namespace, name, body: operations }, jsonPatch));
}

export async function readReplicaSet(kc: KubeConfig, namespace: string, name: string) {
  try {
    return await withRetries('read replicaset', () => kc.makeApiClient(AppsV1Api).readNamespacedReplicaSet({ namespace, name }));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
