import { InfoCard, Table, type TableColumn } from '@backstage/core-components';
import { Typography } from '@material-ui/core';
import {
  adviseStartOrdering,
  type SidecarAccountingResponse,
  type StartOrderingRisk,
} from '@internal/plugin-sidecars-common';
import { pluralize } from '../../format';
import { groupLabel } from './accountingFormat';

/** How many pods run the sidecar natively, behind a start hook, or with no ordering; the unordered workloads and the fix. */
export function StartOrderingCard(props: {
  accounting: SidecarAccountingResponse;
}) {
  const { container, fleet, unorderedWorkloads } = props.accounting;
  const counts = fleet.startOrdering;
  const risk = adviseStartOrdering(container, { kind: 'unordered' });
  const columns: TableColumn<StartOrderingRisk & { id: string }>[] = [
    {
      title: 'Workload',
      render: w => `${w.kind} ${w.cluster}/${w.namespace}/${w.name}`,
    },
    {
      title: 'Team',
      render: w => (w.team ? groupLabel(w.team, 'team') : '—'),
    },
    { title: 'Pods', field: 'pods', type: 'numeric' },
  ];
  return (
    <InfoCard
      title="Start ordering"
      subheader={`Does the app wait for ${container} to be ready?`}
    >
      <Typography variant="body2" gutterBottom>
        {pluralize(counts.native, 'pod')} run it as a native sidecar,{' '}
        {pluralize(counts['start-hook'], 'pod')} hold the app with a start hook,
        and <strong>{pluralize(counts.unordered, 'pod')}</strong> have no start
        ordering.
      </Typography>
      {counts.unordered > 0 && (
        <>
          <Typography variant="body2">{risk.summary}</Typography>
          <Typography variant="body2" color="textSecondary" gutterBottom>
            {risk.fix}
          </Typography>
          <Table
            title="Workloads with no start ordering"
            columns={columns}
            data={unorderedWorkloads.map(w => ({
              ...w,
              id: `${w.cluster}/${w.namespace}/${w.kind}/${w.name}`,
            }))}
            options={{
              paging: false,
              search: false,
              padding: 'dense',
              toolbar: true,
            }}
          />
        </>
      )}
    </InfoCard>
  );
}
