import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  type AuthorizePermissionRequest,
} from '@backstage/plugin-permission-common';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  sidecarsEntityCampaignManagePermission,
  sidecarsFleetManagePermission,
  sidecarsReadPermission,
} from '@internal/plugin-sidecars-common';
import { MissingPermissionError } from '../errors';

/** Who may read what and control which campaigns, decided by the Backstage permission framework. */
export class CampaignAccess {
  constructor(private readonly permissions: PermissionsService) {}

  private async allowed(
    credentials: BackstageCredentials,
    requests: AuthorizePermissionRequest[],
  ): Promise<boolean[]> {
    const decisions = await this.permissions.authorize(requests, {
      credentials,
    });
    return decisions.map(d => d.result === AuthorizeResult.ALLOW);
  }

  /** Owners of the entity (entity permission) or the platform team (fleet permission) manage an entity's campaigns; only the platform team manages the others. */
  async canManage(
    credentials: BackstageCredentials,
    entityRef: string | undefined,
  ): Promise<boolean> {
    const requests: AuthorizePermissionRequest[] = [
      { permission: sidecarsFleetManagePermission },
    ];
    if (entityRef !== undefined)
      requests.push({
        permission: sidecarsEntityCampaignManagePermission,
        resourceRef: entityRef,
      });
    return (await this.allowed(credentials, requests)).some(Boolean);
  }

  async assertCanManage(
    credentials: BackstageCredentials,
    entityRef: string | undefined,
    what: string,
  ): Promise<void> {
    if (await this.canManage(credentials, entityRef)) return;
    if (entityRef === undefined) {
      throw new MissingPermissionError(
        `you may not ${what}: campaigns not bound to one catalog entity need the ${sidecarsFleetManagePermission.name} permission (the platform team's)`,
        sidecarsFleetManagePermission.name,
      );
    }
    throw new MissingPermissionError(
      `you may not ${what}: it needs the ${sidecarsEntityCampaignManagePermission.name} permission on ${entityRef} (granted to its owners) or the ${sidecarsFleetManagePermission.name} permission`,
      sidecarsEntityCampaignManagePermission.name,
    );
  }

  async assertCanRead(credentials: BackstageCredentials): Promise<void> {
    const [allowed] = await this.allowed(credentials, [
      { permission: sidecarsReadPermission },
    ]);
    if (!allowed)
      throw new MissingPermissionError(
        `reading sidecar campaigns and the fleet view needs the ${sidecarsReadPermission.name} permission`,
        sidecarsReadPermission.name,
      );
  }

  async assertCanReadEntity(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<void> {
    const [allowed] = await this.allowed(credentials, [
      { permission: catalogEntityReadPermission, resourceRef: entityRef },
    ]);
    if (!allowed) {
      throw new MissingPermissionError(
        `reading the inventory of ${entityRef} needs the ${catalogEntityReadPermission.name} permission on it`,
        catalogEntityReadPermission.name,
      );
    }
  }
}
