import { createPermission } from '@backstage/plugin-permission-common';

/** The catalog's entity resource type (RESOURCE_TYPE_CATALOG_ENTITY of @backstage/plugin-catalog-common/alpha), spelled out to keep this package free of catalog dependencies. */
export const SIDECARS_ENTITY_RESOURCE_TYPE = 'catalog-entity';

/**
 * Start a campaign for one catalog entity, and pause, resume, roll back or abort that entity's
 * campaigns. A resource permission on the entity, so a policy can grant it to the entity's owners.
 */
export const sidecarsEntityCampaignManagePermission = createPermission({
  name: 'sidecars.campaign.entity.manage',
  attributes: { action: 'update' },
  resourceType: SIDECARS_ENTITY_RESOURCE_TYPE,
});

/**
 * Start campaigns that are not bound to one entity (fleet-wide or by label selector) and control
 * any campaign, whoever owns its entity. Meant for the platform team.
 */
export const sidecarsFleetManagePermission = createPermission({
  name: 'sidecars.fleet.manage',
  attributes: { action: 'update' },
});

/** Read the fleet view, list campaigns and read their status and audit trail. */
export const sidecarsReadPermission = createPermission({
  name: 'sidecars.read',
  attributes: { action: 'read' },
});

export const sidecarsPermissions = [
  sidecarsEntityCampaignManagePermission,
  sidecarsFleetManagePermission,
  sidecarsReadPermission,
];
