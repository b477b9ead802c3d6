import type { V1Container, V1Pod, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { SidecarKind } from '@internal/plugin-sidecars-common';

export interface PodSidecar {
  container: V1Container;
  kind: SidecarKind;
}

/**
 * The sidecars of a pod: native sidecars (init containers with restartPolicy Always), containers its
 * owner's template does not declare (added at admission), and declared containers whose name is a
 * known sidecar. Without a template (bare pods, unreadable owners) known names count as injected,
 * since nothing would undo an in-place patch of them.
 */
export function sidecarsOf(pod: V1Pod, template: V1PodTemplateSpec | undefined, knownSidecars: ReadonlySet<string>): PodSidecar[] {
  const declared = template?.spec ? new Set([...template.spec.containers, ...(template.spec.initContainers ?? [])].map(c => c.name)) : undefined;
  const sidecars: PodSidecar[] = [];
  for (const init of pod.spec?.initContainers ?? []) {
    if (init.restartPolicy === 'Always') sidecars.push({ container: init, kind: 'native' });
  }
  for (const container of pod.spec?.containers ?? []) {
    if (declared === undefined) {
      if (knownSidecars.has(container.name)) sidecars.push({ container, kind: 'injected' });
    } else if (!declared.has(container.name)) {
      sidecars.push({ container, kind: 'injected' });
    } else if (knownSidecars.has(container.name)) {
      sidecars.push({ container, kind: 'declared' });
    }
  }
  return sidecars;
}

export function containerStatusOf(pod: V1Pod, name: string) {
  return [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find(s => s.name === name);
}

export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True') ?? false;
}
