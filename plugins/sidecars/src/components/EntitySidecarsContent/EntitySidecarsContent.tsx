import { EmptyState, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Grid } from '@material-ui/core';
import {
  CAMPAIGN_SIGNAL_CHANNELS,
  type InventoryResponse,
  type WorkloadInventory,
  type WorkloadSidecar,
} from '@internal/plugin-sidecars-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sidecarsApiRef } from '../../api';
import { useCanManageEntityCampaigns } from '../../hooks/useCampaignPermissions';
import { useLiveRefresh } from '../../hooks/useLiveRefresh';
import { useOpenCampaign } from '../../hooks/useOpenCampaign';
import { CampaignFormDialog } from '../CampaignForm';
import { FreshnessCaption } from '../FreshnessCaption';
import { PartialResultWarning } from '../PartialResultWarning';
import { RetryableError } from '../RetryableError';
import { ClusterInventoryTable } from './ClusterInventoryTable';

function groupByCluster(
  workloads: readonly WorkloadInventory[],
): Array<[string, WorkloadInventory[]]> {
  const clusters = new Map<string, WorkloadInventory[]>();
  for (const workload of workloads)
    clusters.set(workload.cluster, [
      ...(clusters.get(workload.cluster) ?? []),
      workload,
    ]);
  return [...clusters].sort(([a], [b]) => a.localeCompare(b));
}

function versionsOf(inventory: InventoryResponse, container: string): string[] {
  const versions = inventory.workloads.flatMap(workload =>
    workload.sidecars
      .filter(sidecar => sidecar.container === container)
      .flatMap(sidecar => sidecar.versions.map(v => v.version)),
  );
  return [...new Set(versions)];
}

/** Without signals, how often the tab fetches the inventory again. */
const INVENTORY_REFRESH_INTERVAL_MS = 15_000;

/** The entity page tab: the component's sidecars per cluster and workload, and an upgrade for its owners. */
export function EntitySidecarsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(sidecarsApiRef);
  const permission = useCanManageEntityCampaigns(entityRef);
  const openCampaign = useOpenCampaign();
  const [upgrading, setUpgrading] = useState<WorkloadSidecar>();
  const {
    value: inventory,
    loading,
    error,
    retry,
  } = useAsyncRetry(() => api.getInventory(entityRef), [api, entityRef]);
  // A campaign touching this entity's pods changed: its sidecar versions may have too.
  useLiveRefresh(CAMPAIGN_SIGNAL_CHANNELS.entity(entityRef), retry, {
    intervalMs: INVENTORY_REFRESH_INTERVAL_MS,
    enabled: true,
  });

  if (loading && !inventory) return <Progress />;
  if (error)
    return (
      <RetryableError
        title="Could not load the sidecar inventory"
        error={error}
        onRetry={retry}
      />
    );
  if (!inventory) return null;

  return (
    <Grid container spacing={3} direction="column">
      {inventory.partial && (
        <Grid item>
          <PartialResultWarning clusters={inventory.clusters} />
        </Grid>
      )}
      <Grid item>
        <FreshnessCaption clusters={inventory.clusters} />
      </Grid>
      {inventory.workloads.length === 0 ? (
        <Grid item>
          <EmptyState
            missing="data"
            title={`No pods found for ${entity.metadata.title ?? entity.metadata.name}`}
            description="Pods are found through the backstage.io/kubernetes-id or backstage.io/kubernetes-label-selector annotation (and backstage.io/kubernetes-namespace). Add one to catalog-info.yaml, or check that the workloads run in a cluster the sidecars backend is configured for."
          />
        </Grid>
      ) : (
        groupByCluster(inventory.workloads).map(([cluster, workloads]) => (
          <Grid item key={cluster}>
            <ClusterInventoryTable
              cluster={cluster}
              workloads={workloads}
              upgrade={{ allowed: permission.allowed, onUpgrade: setUpgrading }}
            />
          </Grid>
        ))
      )}
      <CampaignFormDialog
        open={upgrading !== undefined}
        title={`Upgrade ${upgrading?.container ?? 'sidecar'} in ${entity.metadata.name}`}
        prefill={
          upgrading && {
            entityRef,
            container: upgrading.container,
            mode: upgrading.kind === 'declared' ? 'workload' : 'in-place',
          }
        }
        lockContainer
        currentVersions={
          upgrading ? versionsOf(inventory, upgrading.container) : []
        }
        onCancel={() => setUpgrading(undefined)}
        onCreated={campaign => openCampaign(campaign.id)}
      />
    </Grid>
  );
}
