import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  sidecarsEntityCampaignManagePermission,
  sidecarsFleetManagePermission,
} from '@internal/plugin-sidecars-common';

export interface SidecarsSamplePolicyOptions {
  /** The group whose members run fleet-wide campaigns and control every campaign. */
  platformGroup: string;
  /** The entity refs a user owns through: the user itself and its groups. */
  ownershipOf(credentials: BackstageCredentials): Promise<string[]>;
}

/**
 * The local stack's policy: an entity's owners start and control that entity's campaigns; members
 * of the platform group hold the fleet permission; everything else (catalog reads, sidecars.read)
 * is allowed.
 */
export class SidecarsSamplePolicy implements PermissionPolicy {
  constructor(private readonly options: SidecarsSamplePolicyOptions) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (isPermission(request.permission, sidecarsFleetManagePermission)) {
      const ownership = user
        ? await this.options.ownershipOf(user.credentials)
        : [];
      return {
        result: ownership.includes(this.options.platformGroup)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    if (
      isPermission(request.permission, sidecarsEntityCampaignManagePermission)
    ) {
      if (!user) return { result: AuthorizeResult.DENY };
      const claims = await this.options.ownershipOf(user.credentials);
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
