import { usePermission } from '@backstage/plugin-permission-react';
import {
  sidecarsEntityCampaignManagePermission,
  sidecarsFleetManagePermission,
} from '@internal/plugin-sidecars-common';

export interface PermissionState {
  loading: boolean;
  allowed: boolean;
}

/** Whether the user may start campaigns not bound to one entity (the platform team). */
export function useCanManageFleet(): PermissionState {
  const { loading, allowed } = usePermission({
    permission: sidecarsFleetManagePermission,
  });
  return { loading, allowed };
}

/** Whether the user may start and control campaigns for this entity: its owners, or the platform team. */
export function useCanManageEntityCampaigns(
  entityRef: string,
): PermissionState {
  const entity = usePermission({
    permission: sidecarsEntityCampaignManagePermission,
    resourceRef: entityRef,
  });
  const fleet = useCanManageFleet();
  return {
    loading: entity.loading || fleet.loading,
    allowed: entity.allowed || fleet.allowed,
  };
}
