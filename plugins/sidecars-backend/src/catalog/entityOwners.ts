import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  entitySelection,
  KUBERNETES_ANNOTATIONS,
  type EntitySelection,
} from '@internal/plugin-sidecars-node';

/** A catalog entity that maps to pods, with the owner its pods are accounted to. */
export interface OwnedSelection {
  entityRef: string;
  /** The entity's spec.owner as the catalog holds it, e.g. group:default/team-payments. */
  owner: string;
  selection: EntitySelection;
}

/**
 * Every entity with a Kubernetes annotation that maps it to pods, as the caller may read them, in
 * entity-ref order (so that a pod two entities select is accounted to the same one each time).
 * Entities without an owner or with an unusable selector are left out: their pods count as unowned.
 */
export async function entitiesWithPods(
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<OwnedSelection[]> {
  const { items } = await catalog.getEntities(
    {
      filter: [
        {
          [`metadata.annotations.${KUBERNETES_ANNOTATIONS.id}`]:
            CATALOG_FILTER_EXISTS,
        },
        {
          [`metadata.annotations.${KUBERNETES_ANNOTATIONS.labelSelector}`]:
            CATALOG_FILTER_EXISTS,
        },
      ],
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.annotations',
        'spec.owner',
      ],
    },
    { credentials },
  );
  return items
    .flatMap(entity => {
      const owner = ownerRef(entity);
      const selection = entitySelection(entity);
      if (!owner || !selection.ok) return [];
      return [
        {
          entityRef: stringifyEntityRef(entity),
          owner,
          selection: selection.selection,
        },
      ];
    })
    .sort((a, b) => a.entityRef.localeCompare(b.entityRef));
}

/** The entity's owner as a full reference (a bare "team-payments" is a group in the entity's namespace). */
function ownerRef(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || owner.trim() === '') return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    );
  } catch {
    return undefined;
  }
}
