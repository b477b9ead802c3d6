import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/** "checkout" → "component:default/checkout": the form the catalog, the permission framework and campaign search attributes use. */
export function canonicalEntityRef(ref: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    }),
  );
}

/** Looks entities up in the catalog with the caller's credentials, so the catalog's own read rules apply. */
export class EntityLookup {
  constructor(private readonly catalog: CatalogService) {}

  async find(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<{ entityRef: string; entity: Entity } | undefined> {
    const entityRef = canonicalEntityRef(ref);
    const entity = await this.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    return entity ? { entityRef, entity } : undefined;
  }
}
