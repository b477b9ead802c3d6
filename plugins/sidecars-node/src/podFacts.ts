import type {
  V1Container,
  V1ContainerStatus,
  V1Pod,
  V1PodSpec,
} from '@kubernetes/client-node';

/** Whether the pod's Ready condition is True. */
export function isPodReady(pod: V1Pod): boolean {
  return (
    pod.status?.conditions?.some(
      c => c.type === 'Ready' && c.status === 'True',
    ) ?? false
  );
}

/** The kubelet's status of a container, regular or init (native sidecars report as init containers). */
export function containerStatus(
  pod: V1Pod,
  name: string,
): V1ContainerStatus | undefined {
  return [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
  ].find(s => s.name === name);
}

/** An init container with restartPolicy Always runs for the pod's lifetime: a native sidecar. */
export const isNativeSidecar = (
  container: Pick<V1Container, 'restartPolicy'>,
) => container.restartPolicy === 'Always';

/** Containers that run for the pod's lifetime: regular containers and native sidecars. */
export function longRunningContainers(
  spec: V1PodSpec | undefined,
): V1Container[] {
  return [
    ...(spec?.containers ?? []),
    ...(spec?.initContainers ?? []).filter(isNativeSidecar),
  ];
}

/** Names of every container a pod spec (or template) declares, init containers included. */
export function declaredContainerNames(spec: V1PodSpec | undefined): string[] {
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])].map(
    c => c.name,
  );
}

const containerShape = ({ name, image, restartPolicy }: V1Container) => ({
  name,
  image,
  ...(restartPolicy ? { restartPolicy } : {}),
});

const statusShape = ({
  name,
  image,
  imageID,
  ready,
  restartCount,
}: V1ContainerStatus) => ({ name, image, imageID, ready, restartCount });

/**
 * The parts of a pod that a claim decides and writes on: identity and version (for the guarded
 * write), every label and annotation (patches edit these maps in place), each container's name
 * and image at its index, and each container's restart count (the baseline the write that starts
 * an upgrade records). A plan keeps one per target, so it must stay small at 100,000 pods; a full
 * pod with its managed fields, env, volumes and status is tens of times larger.
 */
export function claimablePod(pod: V1Pod): V1Pod {
  const { name, namespace, uid, resourceVersion, labels, annotations } =
    pod.metadata ?? {};
  const { containerStatuses, initContainerStatuses } = pod.status ?? {};
  return {
    metadata: { name, namespace, uid, resourceVersion, labels, annotations },
    spec: {
      containers: (pod.spec?.containers ?? []).map(containerShape),
      ...(pod.spec?.initContainers
        ? { initContainers: pod.spec.initContainers.map(containerShape) }
        : {}),
    },
    status: {
      ...(containerStatuses
        ? { containerStatuses: containerStatuses.map(statusShape) }
        : {}),
      ...(initContainerStatuses
        ? { initContainerStatuses: initContainerStatuses.map(statusShape) }
        : {}),
    },
  };
}
