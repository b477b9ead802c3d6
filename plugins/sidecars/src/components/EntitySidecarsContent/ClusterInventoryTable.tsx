import { Table, type TableColumn } from '@backstage/core-components';
import { Button, Tooltip, Typography } from '@material-ui/core';
import type {
  WorkloadInventory,
  WorkloadSidecar,
} from '@internal/plugin-sidecars-common';
import { CrashLoopFlag } from './CrashLoopFlag';
import { DriftBadge } from './DriftBadge';
import { SidecarKindLabel } from './SidecarKindLabel';
import { SidecarResourcesSummary } from './SidecarResourcesSummary';
import { SidecarVersionList } from './SidecarVersionList';
import { StartOrderingNote } from './StartOrderingNote';

interface InventoryRow {
  id: string;
  workload: WorkloadInventory;
  sidecar?: WorkloadSidecar;
}

export interface UpgradeControl {
  allowed: boolean;
  onUpgrade: (sidecar: WorkloadSidecar) => void;
}

function rowsOf(workloads: readonly WorkloadInventory[]): InventoryRow[] {
  return workloads.flatMap(workload => {
    const id = `${workload.namespace}/${workload.kind}/${workload.name}`;
    return workload.sidecars.length === 0
      ? [{ id, workload }]
      : workload.sidecars.map(sidecar => ({
          id: `${id}/${sidecar.container}`,
          workload,
          sidecar,
        }));
  });
}

/** One cluster's workloads of the entity, one row per sidecar container. */
export function ClusterInventoryTable(props: {
  cluster: string;
  workloads: WorkloadInventory[];
  upgrade: UpgradeControl;
}) {
  const { cluster, workloads, upgrade } = props;
  const columns: TableColumn<InventoryRow>[] = [
    {
      title: 'Workload',
      render: ({ workload }) => (
        <>
          <Typography variant="body2">
            {workload.kind} {workload.namespace}/{workload.name}
          </Typography>
          <Typography variant="caption" color="textSecondary">
            {workload.readyPods}/{workload.pods} pods ready
          </Typography>
        </>
      ),
    },
    {
      title: 'Sidecar',
      render: ({ sidecar }) =>
        sidecar ? (
          <>
            <Typography variant="body2">{sidecar.container}</Typography>
            <SidecarKindLabel kind={sidecar.kind} />
            <CrashLoopFlag
              container={sidecar.container}
              pods={sidecar.crashLoopingPods}
            />
          </>
        ) : (
          <Typography variant="body2" color="textSecondary">
            No sidecar containers
          </Typography>
        ),
    },
    {
      title: 'Versions',
      render: ({ sidecar }) =>
        sidecar && <SidecarVersionList versions={sidecar.versions} />,
    },
    {
      title: 'Drift',
      cellStyle: { minWidth: 130 },
      render: ({ sidecar }) => sidecar && <DriftBadge sidecar={sidecar} />,
    },
    {
      title: 'Start ordering',
      cellStyle: { minWidth: 260 },
      render: ({ sidecar }) =>
        sidecar && (
          <StartOrderingNote
            container={sidecar.container}
            ordering={sidecar.startOrdering}
            kind={sidecar.kind}
          />
        ),
    },
    {
      title: 'Resources (request / limit)',
      render: ({ sidecar }) =>
        sidecar && <SidecarResourcesSummary resources={sidecar.resources} />,
    },
    {
      title: 'Restarts',
      type: 'numeric',
      render: ({ sidecar }) =>
        sidecar?.versions.reduce((sum, version) => sum + version.restarts, 0),
    },
    {
      title: 'Actions',
      render: ({ sidecar, workload }) =>
        sidecar && (
          <Tooltip
            title={
              upgrade.allowed
                ? ''
                : 'Only the owners of this component or the platform team can upgrade its sidecars'
            }
          >
            <span>
              <Button
                size="small"
                variant="outlined"
                color="primary"
                disabled={!upgrade.allowed}
                onClick={() => upgrade.onUpgrade(sidecar)}
                aria-label={`Upgrade ${sidecar.container} in ${workload.name}`}
              >
                Upgrade
              </Button>
            </span>
          </Tooltip>
        ),
    },
  ];
  return (
    <Table<InventoryRow>
      title={`Cluster ${cluster}`}
      columns={columns}
      data={rowsOf(workloads)}
      options={{ paging: false, search: false, padding: 'dense' }}
    />
  );
}
