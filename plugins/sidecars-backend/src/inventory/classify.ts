import type { V1Container, V1Pod, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { SidecarKind } from '@internal/plugin-sidecars-common';
import { declaredContainerNames, isNativeSidecar } from '@internal/plugin-sidecars-node';

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
  const declared = template?.spec ? new Set(declaredContainerNames(template.spec)) : undefined;
  const sidecars: PodSidecar[] = [];
  for (const init of pod.spec?.initContainers ?? []) {
    if (isNativeSidecar(init)) sidecars.push({ container: init, kind: 'native' });
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
