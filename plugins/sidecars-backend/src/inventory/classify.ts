import type { SidecarKind } from '@internal/plugin-sidecars-common';
import { isNativeSidecar } from '@internal/plugin-sidecars-node';
import type { TrimmedContainer, TrimmedPod } from './trimmedPod';

export interface PodSidecar {
  container: TrimmedContainer;
  kind: SidecarKind;
}

/**
 * The sidecars of a pod: native sidecars (init containers with restartPolicy Always), containers its
 * owner's template does not declare (added at admission), and declared containers whose name is a
 * known sidecar. Without the template's names (bare pods, unreadable owners) known names count as
 * injected, since nothing would undo an in-place patch of them.
 */
export function sidecarsOf(
  pod: TrimmedPod,
  declaredContainers: readonly string[] | undefined,
  knownSidecars: ReadonlySet<string>,
): PodSidecar[] {
  const declared = declaredContainers ? new Set(declaredContainers) : undefined;
  const sidecars: PodSidecar[] = [];
  for (const init of pod.spec.initContainers ?? []) {
    if (isNativeSidecar(init))
      sidecars.push({ container: init, kind: 'native' });
  }
  for (const container of pod.spec.containers) {
    if (declared === undefined) {
      if (knownSidecars.has(container.name))
        sidecars.push({ container, kind: 'injected' });
    } else if (!declared.has(container.name)) {
      sidecars.push({ container, kind: 'injected' });
    } else if (knownSidecars.has(container.name)) {
      sidecars.push({ container, kind: 'declared' });
    }
  }
  return sidecars;
}
