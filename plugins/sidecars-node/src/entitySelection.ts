import {
  parseLabelSelector,
  type CampaignSpec,
} from '@internal/plugin-sidecars-common';
import type { LabelQuery } from './kube/requests';

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

export type EntitySelectionResult =
  { ok: true; selection: EntitySelection } | { ok: false; error: string };

/**
 * Which pods belong to an entity, as Backstage's Kubernetes plugin decides it: its label-selector
 * annotation wins, else `backstage.io/kubernetes-id=<id>`; the namespace annotation narrows.
 */
export function entitySelection(entity: {
  metadata: { annotations?: Record<string, string> };
}): EntitySelectionResult {
  const annotations = entity.metadata.annotations ?? {};
  const explicit = annotations[KUBERNETES_ANNOTATIONS.labelSelector]?.trim();
  const id = annotations[KUBERNETES_ANNOTATIONS.id]?.trim();
  const labelSelector =
    explicit || (id ? `${KUBERNETES_ANNOTATIONS.id}=${id}` : undefined);
  if (!labelSelector) {
    return {
      ok: false,
      error: `the entity has neither a ${KUBERNETES_ANNOTATIONS.id} nor a ${KUBERNETES_ANNOTATIONS.labelSelector} annotation, so none of its pods can be found: add one to its catalog-info.yaml`,
    };
  }
  const parsed = parseLabelSelector(labelSelector);
  if (!parsed.ok || parsed.requirements.length === 0) {
    return {
      ok: false,
      error: `the entity's pod selector "${labelSelector}" is not a usable label selector${parsed.ok ? '' : ` (${parsed.error})`}: fix its ${KUBERNETES_ANNOTATIONS.labelSelector} or ${KUBERNETES_ANNOTATIONS.id} annotation`,
    };
  }
  const namespace = annotations[KUBERNETES_ANNOTATIONS.namespace]?.trim();
  return {
    ok: true,
    selection: {
      labelSelector,
      ...(namespace ? { namespaces: [namespace] } : {}),
    },
  };
}

export class UnresolvedEntityError extends Error {}

/**
 * The pods a spec selects. An entity campaign selects what its entity's annotations resolved to when
 * it was planned (the backend writes them into selector.labelSelector and namespaces); one that was
 * never resolved has no selection, rather than a guessed one.
 */
export function podQueryOf(spec: CampaignSpec): LabelQuery {
  const { entityRef, labelSelector, namespaces } = spec.selector;
  if (entityRef !== undefined && labelSelector === undefined) {
    throw new UnresolvedEntityError(
      `selector.entityRef ${entityRef} was not resolved to the entity's pods: start entity campaigns through the sidecars backend (POST /api/sidecars/campaigns), which reads its ${KUBERNETES_ANNOTATIONS.labelSelector} or ${KUBERNETES_ANNOTATIONS.id} annotation, or give selector.labelSelector`,
    );
  }
  return {
    labelSelector: labelSelector ?? '',
    ...(namespaces ? { namespaces } : {}),
  };
}
