import type { Entity } from '@backstage/catalog-model';
import { parseLabelSelector } from '@internal/plugin-sidecars-common';

/** The annotations the Backstage Kubernetes plugin maps entities to pods with. */
export const KUBERNETES_ANNOTATIONS = {
  id: 'backstage.io/kubernetes-id',
  labelSelector: 'backstage.io/kubernetes-label-selector',
  namespace: 'backstage.io/kubernetes-namespace',
} as const;

export interface EntitySelection {
  labelSelector: string;
  namespaces?: string[];
}

export type EntitySelectionResult = { ok: true; selection: EntitySelection } | { ok: false; error: string };

/** Which pods belong to an entity: its label-selector annotation wins, else `backstage.io/kubernetes-id=<id>`; the namespace annotation narrows. */
export function entitySelection(entity: Entity): EntitySelectionResult {
  const annotations = entity.metadata.annotations ?? {};
  const explicit = annotations[KUBERNETES_ANNOTATIONS.labelSelector]?.trim();
  const id = annotations[KUBERNETES_ANNOTATIONS.id]?.trim();
  const labelSelector = explicit || (id ? `${KUBERNETES_ANNOTATIONS.id}=${id}` : undefined);
  if (!labelSelector) {
    return {
      ok: false,
      error: `the entity has neither a ${KUBERNETES_ANNOTATIONS.id} nor a ${KUBERNETES_ANNOTATIONS.labelSelector} annotation, so none of its pods can be found: add one to its catalog-info.yaml`,
    };
  }
  const parsed = parseLabelSelector(labelSelector);
  if (!parsed.ok || parsed.requirements.length === 0) {
    return { ok: false, error: `the entity's pod selector "${labelSelector}" is not a usable label selector${parsed.ok ? '' : ` (${parsed.error})`}: fix its ${KUBERNETES_ANNOTATIONS.labelSelector} or ${KUBERNETES_ANNOTATIONS.id} annotation` };
  }
  const namespace = annotations[KUBERNETES_ANNOTATIONS.namespace]?.trim();
  return { ok: true, selection: { labelSelector, ...(namespace ? { namespaces: [namespace] } : {}) } };
}
