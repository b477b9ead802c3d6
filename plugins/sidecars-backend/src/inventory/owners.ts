import {
  declaredContainerNames,
  type PodOwner,
} from '@internal/plugin-sidecars-node';
import type { TrimmedController, TrimmedPod } from './trimmedPod';

/** The workload a pod is shown under, and what its template declares (which tells declared sidecars from injected ones). */
export interface InventoryOwner {
  kind: string;
  name: string;
  /** The containers the pod template declares; undefined when the template could not be read. */
  declaredContainers?: readonly string[];
}

/** The controllers of one cluster, as the watch cache holds them. */
export interface ControllerLookup {
  replicaSet(namespace: string, name: string): TrimmedController | undefined;
  statefulSet(namespace: string, name: string): TrimmedController | undefined;
  daemonSet(namespace: string, name: string): TrimmedController | undefined;
}

const controllerOf = (object: {
  metadata: {
    ownerReferences?: Array<{
      kind: string;
      name: string;
      controller?: boolean;
    }>;
  };
}) => object.metadata.ownerReferences?.find(o => o.controller);

/** The owner of a pod from cached controllers: a ReplicaSet's pods show under its Deployment, as the API reader does. */
export function cachedOwnerOf(
  pod: TrimmedPod,
  controllers: ControllerLookup,
): InventoryOwner {
  const namespace = pod.metadata.namespace ?? '';
  const controller = controllerOf(pod);
  if (!controller) return { kind: 'Pod', name: pod.metadata.name ?? '' };
  const found = (object: TrimmedController | undefined) =>
    object?.declaredContainers
      ? { declaredContainers: object.declaredContainers }
      : {};
  switch (controller.kind) {
    case 'ReplicaSet': {
      const rs = controllers.replicaSet(namespace, controller.name);
      const deployment = rs && controllerOf(rs);
      const byDeployment =
        deployment?.kind === 'Deployment' ? deployment : undefined;
      return {
        kind: byDeployment ? 'Deployment' : 'ReplicaSet',
        name: byDeployment?.name ?? controller.name,
        ...found(rs),
      };
    }
    case 'StatefulSet':
      return {
        kind: controller.kind,
        name: controller.name,
        ...found(controllers.statefulSet(namespace, controller.name)),
      };
    case 'DaemonSet':
      return {
        kind: controller.kind,
        name: controller.name,
        ...found(controllers.daemonSet(namespace, controller.name)),
      };
    default:
      return { kind: controller.kind, name: controller.name };
  }
}

/** The owner the API reader found, reduced to what the inventory needs. */
export function readOwner(owner: PodOwner): InventoryOwner {
  const spec = owner.template?.spec;
  return {
    kind: owner.kind,
    name: owner.name,
    ...(spec ? { declaredContainers: declaredContainerNames(spec) } : {}),
  };
}
