import {
  classifyStartOrdering,
  type StartOrdering,
} from '@internal/plugin-sidecars-common';
import type { TrimmedPod } from './trimmedPod';

/** How the pod orders its sidecar's start against its app; a container the pod does not run long counts as unordered. */
export function startOrderingOf(
  pod: TrimmedPod,
  container: string,
): StartOrdering {
  return (
    classifyStartOrdering(
      {
        ...(pod.metadata.annotations
          ? { annotations: pod.metadata.annotations }
          : {}),
        ...(pod.spec.initContainers
          ? { initContainers: pod.spec.initContainers }
          : {}),
        containers: pod.spec.containers,
      },
      container,
    ) ?? { kind: 'unordered' }
  );
}
