import { ApiException, Observable, type ConfigurationOptions, type V1Pod, type V1PodTemplateSpec } from '@kubernetes/client-node';
import type { ClusterClient } from './clusters';

/** Per-request options that abort a Kubernetes call after `timeoutMs`, so one unresponsive cluster cannot stall a request. */
export function withTimeout(timeoutMs: number): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: request => {
          request.setSignal(AbortSignal.timeout(timeoutMs));
          return new Observable(Promise.resolve(request));
        },
        post: response => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

export interface PodQuery {
  labelSelector?: string;
  namespaces?: readonly string[];
  pageSize?: number;
}

/** Pages through pods matching a server-side label selector, namespace by namespace; never one unbounded list. */
export async function* listPods(client: ClusterClient, query: PodQuery, timeoutMs: number): AsyncGenerator<V1Pod> {
  const limit = query.pageSize ?? 500;
  const scopes: Array<string | undefined> = query.namespaces && query.namespaces.length > 0 ? [...query.namespaces] : [undefined];
  for (const namespace of scopes) {
    let cont: string | undefined;
    do {
      const params = { labelSelector: query.labelSelector || undefined, limit, _continue: cont };
      const page = namespace
        ? await client.core.listNamespacedPod({ namespace, ...params }, withTimeout(timeoutMs))
        : await client.core.listPodForAllNamespaces(params, withTimeout(timeoutMs));
      yield* page.items;
      cont = page.metadata?._continue || undefined;
    } while (cont);
  }
}

export const isNotFound = (error: unknown) => error instanceof ApiException && error.code === 404;

export interface OwnerWorkload {
  kind: string;
  name: string;
  /** The pod template the workload stamps pods from, when it could be read. */
  template?: V1PodTemplateSpec;
}

async function orUndefined<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * The workload that owns a pod's ReplicaSet (a Deployment) or the pod itself (StatefulSet, DaemonSet,
 * ReplicaSet), read with the template that made the pod. A ReplicaSet's template is the Deployment's
 * template at that revision, which is what decides whether a container was declared or injected.
 */
export async function readOwner(client: ClusterClient, namespace: string, owner: { kind: string; name: string }, timeoutMs: number): Promise<OwnerWorkload> {
  const options = withTimeout(timeoutMs);
  switch (owner.kind) {
    case 'ReplicaSet': {
      const rs = await orUndefined(client.apps.readNamespacedReplicaSet({ namespace, name: owner.name }, options));
      const deployment = rs?.metadata?.ownerReferences?.find(o => o.controller && o.kind === 'Deployment');
      return deployment
        ? { kind: 'Deployment', name: deployment.name, template: rs?.spec?.template }
        : { kind: 'ReplicaSet', name: owner.name, template: rs?.spec?.template };
    }
    case 'StatefulSet': {
      const sts = await orUndefined(client.apps.readNamespacedStatefulSet({ namespace, name: owner.name }, options));
      return { kind: owner.kind, name: owner.name, template: sts?.spec?.template };
    }
    case 'DaemonSet': {
      const ds = await orUndefined(client.apps.readNamespacedDaemonSet({ namespace, name: owner.name }, options));
      return { kind: owner.kind, name: owner.name, template: ds?.spec?.template };
    }
    default:
      return { kind: owner.kind, name: owner.name };
  }
}

export const readDeployment = (client: ClusterClient, namespace: string, name: string, timeoutMs: number) =>
  orUndefined(client.apps.readNamespacedDeployment({ namespace, name }, withTimeout(timeoutMs)));

/** Reads each owner once per request, however many pods share it. */
export class OwnerCache {
  private readonly owners = new Map<string, Promise<OwnerWorkload>>();

  constructor(private readonly timeoutMs: number) {}

  ownerOf(client: ClusterClient, pod: V1Pod): Promise<OwnerWorkload> {
    const namespace = pod.metadata?.namespace ?? '';
    const controller = pod.metadata?.ownerReferences?.find(o => o.controller);
    if (!controller) return Promise.resolve({ kind: 'Pod', name: pod.metadata?.name ?? '' });
    const key = `${client.name}/${namespace}/${controller.kind}/${controller.name}`;
    let found = this.owners.get(key);
    if (!found) {
      found = readOwner(client, namespace, controller, this.timeoutMs);
      this.owners.set(key, found);
    }
    return found;
  }
}

/** A short description of why a cluster call failed, for ClusterAvailability.error. */
export function describeClusterError(error: unknown, timeoutMs: number): string {
  if (error instanceof ApiException) {
    const body = typeof error.body === 'string' ? error.body : JSON.stringify(error.body);
    let message = body;
    try {
      message = (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      // not JSON: keep the raw body
    }
    return `HTTP ${error.code}: ${message}`.slice(0, 300);
  }
  const { name, message, cause } = (error ?? {}) as { name?: string; message?: string; cause?: unknown };
  if (name === 'AbortError' || name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (message !== undefined) {
    // fetch wraps the socket error (e.g. "connect ECONNREFUSED 127.0.0.1:6443") in its cause.
    const detail = (cause as { message?: string } | undefined)?.message;
    return `${message}${detail ? `: ${detail}` : ''}`.slice(0, 300);
  }
  return String(error);
}
