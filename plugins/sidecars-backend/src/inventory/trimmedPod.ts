import type {
  V1Container,
  V1ContainerStatus,
  V1ObjectMeta,
  V1OwnerReference,
  V1Pod,
  V1PodCondition,
  V1PodTemplateSpec,
} from '@kubernetes/client-node';
import { ISTIO_PROXY_CONFIG_ANNOTATION } from '@internal/plugin-sidecars-common';
import { declaredContainerNames } from '@internal/plugin-sidecars-node';

// The watch cache holds every pod of every cluster, so it keeps only what the inventory reads.
// Each trimmed type is still a valid V1 object (it keeps the required fields), so the shared pod
// facts read it as they read a full pod.

export type TrimmedContainer = Pick<
  V1Container,
  'name' | 'image' | 'restartPolicy'
> & {
  resources?: {
    requests?: Record<string, string>;
    limits?: Record<string, string>;
  };
  /** Present, and empty, when the container has a postStart hook: the start ordering reads only that it has one. */
  lifecycle?: { postStart: Record<string, never> };
};

/** The waiting reason kept: the only one the inventory reads. */
export const CRASH_LOOP_BACK_OFF = 'CrashLoopBackOff';

export type TrimmedContainerStatus = Pick<
  V1ContainerStatus,
  'name' | 'ready' | 'restartCount' | 'image' | 'imageID'
> & {
  /** Present only while the container waits in CrashLoopBackOff. */
  state?: { waiting: { reason: typeof CRASH_LOOP_BACK_OFF } };
};

/** The pod annotations the start ordering reads; every other annotation is dropped. */
const KEPT_ANNOTATIONS = [ISTIO_PROXY_CONFIG_ANNOTATION];

export interface TrimmedPod {
  metadata: Pick<
    V1ObjectMeta,
    'namespace' | 'name' | 'resourceVersion' | 'labels' | 'annotations'
  > & {
    ownerReferences?: V1OwnerReference[];
  };
  spec: { containers: TrimmedContainer[]; initContainers?: TrimmedContainer[] };
  status: {
    phase?: string;
    conditions?: Array<Pick<V1PodCondition, 'type' | 'status'>>;
    containerStatuses?: TrimmedContainerStatus[];
    initContainerStatuses?: TrimmedContainerStatus[];
  };
}

/** A pod's controller (ReplicaSet, StatefulSet, DaemonSet), reduced to what tells its pods' declared containers from injected ones. */
export interface TrimmedController {
  metadata: Pick<V1ObjectMeta, 'namespace' | 'name' | 'resourceVersion'> & {
    ownerReferences?: V1OwnerReference[];
  };
  /** Names of the containers its pod template declares; absent when it has no template. */
  declaredContainers?: string[];
}

function trimContainer(container: V1Container): TrimmedContainer {
  const { requests, limits } = container.resources ?? {};
  return {
    name: container.name,
    image: container.image,
    ...(container.restartPolicy !== undefined
      ? { restartPolicy: container.restartPolicy }
      : {}),
    ...(container.lifecycle?.postStart ? { lifecycle: { postStart: {} } } : {}),
    ...(requests || limits
      ? {
          resources: {
            ...(requests ? { requests } : {}),
            ...(limits ? { limits } : {}),
          },
        }
      : {}),
  };
}

function trimStatuses(
  statuses: V1ContainerStatus[] | undefined,
): TrimmedContainerStatus[] | undefined {
  return statuses?.map(
    ({ name, ready, restartCount, image, imageID, state }) => ({
      name,
      ready,
      restartCount,
      image,
      imageID,
      ...(state?.waiting?.reason === CRASH_LOOP_BACK_OFF
        ? { state: { waiting: { reason: CRASH_LOOP_BACK_OFF } } }
        : {}),
    }),
  );
}

function keptAnnotations(
  annotations: Record<string, string> | undefined,
): Record<string, string> | undefined {
  const kept = KEPT_ANNOTATIONS.filter(key => annotations?.[key] !== undefined);
  return kept.length > 0
    ? Object.fromEntries(kept.map(key => [key, annotations![key]!]))
    : undefined;
}

const trimOwners = (owners: V1OwnerReference[] | undefined) =>
  owners?.map(({ apiVersion, kind, name, uid, controller }) => ({
    apiVersion,
    kind,
    name,
    uid,
    ...(controller !== undefined ? { controller } : {}),
  }));

function trimMetadata(metadata: V1ObjectMeta | undefined) {
  const ownerReferences = trimOwners(metadata?.ownerReferences);
  return {
    namespace: metadata?.namespace ?? '',
    name: metadata?.name ?? '',
    resourceVersion: metadata?.resourceVersion,
    ...(ownerReferences ? { ownerReferences } : {}),
  };
}

export function trimPod(pod: V1Pod): TrimmedPod {
  const { status, spec, metadata } = pod;
  const containerStatuses = trimStatuses(status?.containerStatuses);
  const initContainerStatuses = trimStatuses(status?.initContainerStatuses);
  const annotations = keptAnnotations(metadata?.annotations);
  return {
    metadata: {
      ...trimMetadata(metadata),
      ...(metadata?.labels ? { labels: metadata.labels } : {}),
      ...(annotations ? { annotations } : {}),
    },
    spec: {
      containers: (spec?.containers ?? []).map(trimContainer),
      ...(spec?.initContainers
        ? { initContainers: spec.initContainers.map(trimContainer) }
        : {}),
    },
    status: {
      phase: status?.phase,
      conditions: status?.conditions
        ?.filter(c => c.type === 'Ready')
        .map(({ type, status: value }) => ({ type, status: value })),
      ...(containerStatuses ? { containerStatuses } : {}),
      ...(initContainerStatuses ? { initContainerStatuses } : {}),
    },
  };
}

/** A ReplicaSet, StatefulSet or DaemonSet reduced to its owners and its template's container names. */
export function trimController(controller: {
  metadata?: V1ObjectMeta;
  spec?: { template?: V1PodTemplateSpec };
}): TrimmedController {
  const templateSpec = controller.spec?.template?.spec;
  return {
    metadata: trimMetadata(controller.metadata),
    ...(templateSpec
      ? { declaredContainers: declaredContainerNames(templateSpec) }
      : {}),
  };
}
