import { InfoCard, Table, type TableColumn } from '@backstage/core-components';
import { Typography } from '@material-ui/core';
import {
  DAY_MS,
  type RestartOffender,
  type SidecarAccountingResponse,
} from '@internal/plugin-sidecars-common';
import { formatTime, pluralize } from '../../format';
import { groupLabel } from './accountingFormat';

/** Since when the figures count restarts, when the backend has watched for less than a day, or not at all. */
function coverage(accounting: SidecarAccountingResponse): string | undefined {
  const since = accounting.restartsWatchedSince;
  if (!since)
    return 'A cluster was listed instead of watched, so its restarts are not counted; crash loops it reports now are.';
  if (Date.now() - Date.parse(since) < DAY_MS)
    return `Restarts are counted since ${formatTime(since)}, when the backend began watching.`;
  return undefined;
}

/** Restarts and crash loops of the sidecar in the last hour and day, and the workloads where it restarts most. */
export function RestartsCard(props: { accounting: SidecarAccountingResponse }) {
  const { accounting } = props;
  const { fleet, topRestarting, container } = accounting;
  const columns: TableColumn<RestartOffender & { id: string }>[] = [
    {
      title: 'Workload',
      render: w => `${w.kind} ${w.cluster}/${w.namespace}/${w.name}`,
    },
    {
      title: 'Team',
      render: w => (w.team ? groupLabel(w.team, 'team') : '—'),
    },
    {
      title: 'Restarts (1 h · 24 h)',
      render: w => `${w.restarts.lastHour} · ${w.restarts.lastDay}`,
    },
    {
      title: 'Crash-looping pods',
      render: w => `${w.crashLoopingPods} of ${w.pods}`,
    },
  ];
  const note = coverage(accounting);
  return (
    <InfoCard
      title="Restarts and crash loops"
      subheader={`How often ${container} fails`}
    >
      <Typography variant="body2" gutterBottom>
        {pluralize(fleet.restarts.lastHour, 'restart')} in the last hour,{' '}
        {pluralize(fleet.restarts.lastDay, 'restart')} in the last day;{' '}
        <strong>{pluralize(fleet.crashLoopingPods.now, 'pod')}</strong>{' '}
        crash-looping now ({fleet.crashLoopingPods.lastDay} in the last day).
      </Typography>
      {note && (
        <Typography variant="caption" color="textSecondary" component="p">
          {note}
        </Typography>
      )}
      {topRestarting.length > 0 && (
        <Table
          title="Workloads where it restarts most"
          columns={columns}
          data={topRestarting.map(w => ({
            ...w,
            id: `${w.cluster}/${w.namespace}/${w.kind}/${w.name}`,
          }))}
          options={{ paging: false, search: false, padding: 'dense' }}
        />
      )}
    </InfoCard>
  );
}
