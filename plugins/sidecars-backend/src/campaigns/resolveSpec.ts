import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  parseCampaignSpec,
  type CampaignSpec,
  type FieldError,
} from '@internal/plugin-sidecars-common';
import type { EntityLookup } from '../catalog/entities';
import { FieldsInputError } from '../errors';
import { entitySelection } from '@internal/plugin-sidecars-node';

export interface ResolvedCampaign {
  spec: CampaignSpec;
  /** The canonical ref of the entity the campaign is for, if any. */
  entityRef?: string;
}

function clusterErrors(
  spec: CampaignSpec,
  clusterNames: readonly string[],
): FieldError[] {
  const unknown = (name: string) => !clusterNames.includes(name);
  const configured = clusterNames.join(', ');
  return [
    ...(spec.selector.clusters ?? []).flatMap((name, i) =>
      unknown(name)
        ? [
            {
              field: `selector.clusters.${i}`,
              message: `unknown cluster "${name}": use one of the configured clusters (${configured}), or omit selector.clusters for all`,
            },
          ]
        : [],
    ),
    ...(spec.waves ?? []).flatMap((wave, w) =>
      wave.clusters.flatMap((name, i) =>
        unknown(name)
          ? [
              {
                field: `waves.${w}.clusters.${i}`,
                message: `unknown cluster "${name}" in wave "${wave.name}": use one of the configured clusters (${configured})`,
              },
            ]
          : [],
      ),
    ),
  ];
}

/**
 * Checks what the spec schema cannot (configured clusters, catalog entities) and turns an entity
 * campaign's entityRef into the label selector and namespaces of that entity's pods, so the worker
 * selects exactly what the plan showed.
 */
export async function resolveCampaignSpec(
  spec: CampaignSpec,
  context: {
    clusterNames: readonly string[];
    entities: EntityLookup;
    credentials: BackstageCredentials;
  },
): Promise<ResolvedCampaign> {
  const errors = clusterErrors(spec, context.clusterNames);
  const { entityRef } = spec.selector;
  if (entityRef === undefined) {
    if (errors.length > 0)
      throw new FieldsInputError(errors, 'invalid campaign spec');
    return { spec };
  }
  for (const field of ['labelSelector', 'namespaces'] as const) {
    if (spec.selector[field] !== undefined) {
      errors.push({
        field: `selector.${field}`,
        message: `selector.${field} cannot be combined with selector.entityRef, whose pods come from the entity's Kubernetes annotations: remove one of them`,
      });
    }
    spec.waves?.forEach((wave, w) => {
      if (wave[field] !== undefined)
        errors.push({
          field: `waves.${w}.${field}`,
          message: `wave "${wave.name}" sets ${field}, but selector.entityRef already says which pods: remove it, and give the wave only its clusters`,
        });
    });
  }
  const found = await context.entities.find(entityRef, context.credentials);
  if (!found) {
    errors.push({
      field: 'selector.entityRef',
      message: `there is no catalog entity ${JSON.stringify(entityRef)}: check the kind, namespace and name, e.g. "component:default/checkout"`,
    });
    throw new FieldsInputError(errors, 'invalid campaign spec');
  }
  const selection = entitySelection(found.entity);
  if (!selection.ok)
    errors.push({
      field: 'selector.entityRef',
      message: `${found.entityRef}: ${selection.error}`,
    });
  if (errors.length > 0 || !selection.ok)
    throw new FieldsInputError(errors, 'invalid campaign spec');

  const resolved = parseCampaignSpec({
    ...spec,
    selector: {
      ...spec.selector,
      entityRef: found.entityRef,
      ...selection.selection,
    },
  });
  if (!resolved.ok) {
    throw new FieldsInputError(
      resolved.errors.map(e => ({
        field: 'selector.entityRef',
        message: `${found.entityRef}'s Kubernetes annotations give an invalid selector: ${e.message}`,
      })),
      'invalid campaign spec',
    );
  }
  return { spec: resolved.spec, entityRef: found.entityRef };
}
