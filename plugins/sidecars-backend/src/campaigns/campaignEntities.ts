import type { AuthService } from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { KUBERNETES_ANNOTATIONS } from '@internal/plugin-sidecars-node';
import type { CampaignSnapshot } from './changeFeed';

/** A catalog entity whose pods a campaign touches, and who owns it. */
export interface TouchedEntity {
  entityRef: string;
  /** The owner (usually a group) from the entity's ownedBy relation or spec.owner. */
  ownerRef?: string;
}

/** The labels of each pod that carries a campaign's label, e.g. from the inventory's watch cache. */
export type CampaignPodLabels = (
  campaignId: string,
) => Iterable<Readonly<Record<string, string>>>;

export interface CampaignEntitiesOptions {
  catalog: CatalogService;
  auth: AuthService;
  /** Without it, only campaigns that name their entity have entities. */
  campaignPodLabels?: CampaignPodLabels;
  /** Most entities one fleet campaign is mapped to. Default 20. */
  maxEntities?: number;
}

const DEFAULT_MAX_ENTITIES = 20;
/** Campaigns whose entities are remembered; older ones are looked up again if they change. */
const REMEMBERED_CAMPAIGNS = 500;
const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'spec.owner',
  'relations',
];

function ownerOf(entity: Entity): string | undefined {
  const related = entity.relations?.find(
    relation => relation.type === RELATION_OWNED_BY,
  )?.targetRef;
  if (related) return related;
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || owner === '') return undefined;
  return stringifyEntityRef(
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    }),
  );
}

const touched = (entity: Entity): TouchedEntity => {
  const ownerRef = ownerOf(entity);
  return {
    entityRef: stringifyEntityRef(entity),
    ...(ownerRef ? { ownerRef } : {}),
  };
};

/**
 * Which catalog entities a campaign touches. An entity campaign names its entity; a fleet campaign
 * is mapped from the pods carrying its label to the entities whose `backstage.io/kubernetes-id`
 * annotation matches the pods' label of that name (the link Backstage's Kubernetes plugin uses),
 * at most `maxEntities` of them. A campaign's answer is remembered once it names an entity: the
 * workflow removes its labels from the pods as it ends.
 */
export class CampaignEntities {
  private readonly remembered = new Map<string, TouchedEntity[]>();
  private readonly maxEntities: number;

  constructor(private readonly options: CampaignEntitiesOptions) {
    this.maxEntities = options.maxEntities ?? DEFAULT_MAX_ENTITIES;
  }

  async of(snapshot: CampaignSnapshot): Promise<TouchedEntity[]> {
    const id = snapshot.summary.id;
    const known = this.remembered.get(id);
    if (known) return known;
    // A campaign in waves labels pods with the ids of its lanes.
    const lanes =
      snapshot.recorded?.waves?.flatMap(wave =>
        wave.lanes.map(lane => lane.campaignId),
      ) ?? [];
    const found = snapshot.summary.entityRef
      ? await this.named(snapshot.summary.entityRef)
      : await this.labelled([id, ...lanes]);
    if (found.length > 0) this.remember(id, found);
    return found;
  }

  private async named(entityRef: string): Promise<TouchedEntity[]> {
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials: await this.options.auth.getOwnServiceCredentials(),
    });
    return [entity ? touched(entity) : { entityRef }];
  }

  private async labelled(
    campaignIds: readonly string[],
  ): Promise<TouchedEntity[]> {
    const ids = new Set<string>();
    for (const campaignId of campaignIds)
      for (const labels of this.options.campaignPodLabels?.(campaignId) ?? []) {
        const id = labels[KUBERNETES_ANNOTATIONS.id];
        if (id) ids.add(id);
        if (ids.size >= this.maxEntities) break;
      }
    if (ids.size === 0) return [];
    const { items } = await this.options.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${KUBERNETES_ANNOTATIONS.id}`]: [...ids],
        },
        fields: FIELDS,
        limit: this.maxEntities,
      },
      { credentials: await this.options.auth.getOwnServiceCredentials() },
    );
    return items.map(touched);
  }

  private remember(id: string, entities: TouchedEntity[]): void {
    this.remembered.set(id, entities);
    if (this.remembered.size > REMEMBERED_CAMPAIGNS) {
      const oldest = this.remembered.keys().next().value;
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
  }
}
