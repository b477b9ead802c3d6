import type {
  KubernetesObject,
  V1ContainerStatus,
  V1Pod,
  V1PodSpec,
} from '@kubernetes/client-node';
import { locateContainer } from '@internal/plugin-sidecars-common';
import {
  claimablePod,
  containerStatus,
  isPodReady,
} from '@internal/plugin-sidecars-node';
import type { JsonPatchOperation } from './api';

export interface ContainerLocation {
  list: 'containers' | 'initContainers';
  index: number;
  image: string;
  /** An init container with restartPolicy Always: a native sidecar. */
  native: boolean;
}

export function findContainer(
  spec: V1PodSpec | undefined,
  name: string,
): ContainerLocation | undefined {
  const located = spec && locateContainer({ spec }, name);
  if (!spec || !located) return undefined;
  const index = (spec[located.list] ?? []).findIndex(c => c.name === name);
  return {
    list: located.list,
    index,
    image: located.container.image ?? '',
    native: located.native,
  };
}

/** More restarts than the one the image change itself causes, beyond this, is a crash loop. */
export const CRASH_RESTARTS = 2;
const FAILING_WAIT_REASONS = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

export type Health =
  | { kind: 'healthy' }
  | { kind: 'pending'; detail: string }
  | { kind: 'failed'; reason: string };

/** What a container that is not yet healthy is waiting for. */
function pendingDetail(
  status: V1ContainerStatus | undefined,
  expectedImage: string,
): string {
  if (!status) return 'no container status yet';
  if (status.image !== expectedImage)
    return `kubelet still reports ${status.image}`;
  return 'not ready yet';
}

/**
 * Whether a container runs the expected image, ready, in a Ready pod. A climbing restart count
 * or a failing wait reason is a failure at once; otherwise it is pending until the deadline.
 */
export function assessHealth(
  pod: V1Pod,
  container: string,
  expectedImage: string,
  baselineRestarts: number,
  expired: boolean,
): Health {
  const status = containerStatus(pod, container);
  if (status && status.image === expectedImage) {
    const restarts = status.restartCount - baselineRestarts;
    if (restarts > CRASH_RESTARTS) {
      return {
        kind: 'failed',
        reason: `${container} restarted ${restarts} times on ${expectedImage} (${status.state?.waiting?.reason ?? 'crash loop'})`,
      };
    }
    const waiting = status.state?.waiting?.reason;
    if (waiting && FAILING_WAIT_REASONS.has(waiting) && restarts > 1) {
      return {
        kind: 'failed',
        reason: `${container} is ${waiting} on ${expectedImage}`,
      };
    }
    if (status.ready && isPodReady(pod)) return { kind: 'healthy' };
  }
  const detail = pendingDetail(status, expectedImage);
  if (expired)
    return {
      kind: 'failed',
      reason: `${container} not ready on ${expectedImage} within the health timeout (${detail})`,
    };
  return { kind: 'pending', detail };
}

/** A key as one JSON-pointer segment (RFC 6901). */
export const escapePointer = (key: string) =>
  key.replaceAll('~', '~0').replaceAll('/', '~1');

/** JSON-patch operations that set (string) or remove (null) labels or annotations. */
export function metadataOps(
  pod: KubernetesObject,
  field: 'labels' | 'annotations',
  changes: Record<string, string | null>,
): JsonPatchOperation[] {
  const existing = pod.metadata?.[field] ?? {};
  const ops: JsonPatchOperation[] = [];
  if (!pod.metadata?.[field])
    ops.push({ op: 'add', path: `/metadata/${field}`, value: {} });
  for (const [key, value] of Object.entries(changes)) {
    const path = `/metadata/${field}/${escapePointer(key)}`;
    if (value === null) {
      if (key in existing) ops.push({ op: 'remove', path });
    } else {
      ops.push({ op: 'add', path, value });
    }
  }
  return ops;
}

/** Guards a write: it applies only to the exact pod version that was read. */
export function guardOps(pod: KubernetesObject): JsonPatchOperation[] {
  return [
    { op: 'test', path: '/metadata/uid', value: pod.metadata?.uid },
    {
      op: 'test',
      path: '/metadata/resourceVersion',
      value: pod.metadata?.resourceVersion,
    },
  ];
}

/**
 * The parts of a watched pod a rolling window judges and writes on: what a claim writes on, plus
 * the readiness and container statuses. A window keeps one per pod, so at 10,000 pods the full
 * objects (managed fields, env, volumes) would be most of the worker's memory.
 */
export function settleView(pod: V1Pod): V1Pod {
  return {
    ...claimablePod(pod),
    status: {
      conditions: pod.status?.conditions,
      containerStatuses: pod.status?.containerStatuses,
      initContainerStatuses: pod.status?.initContainerStatuses,
    },
  };
}
