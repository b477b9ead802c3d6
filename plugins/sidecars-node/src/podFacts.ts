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
