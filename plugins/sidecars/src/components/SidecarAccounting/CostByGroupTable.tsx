import { Table, type TableColumn } from '@backstage/core-components';
import type {
  SidecarAccountingResponse,
  SidecarCostGroup,
} from '@internal/plugin-sidecars-common';
import {
  formatBytes,
  formatCores,
  formatPercent,
  groupLabel,
  GROUP_BY_LABELS,
} from './accountingFormat';

const limitText = (sum: string, unlimited: number, pods: number): string => {
  if (unlimited === pods) return 'none';
  return unlimited > 0 ? `${sum} (${unlimited} pods without)` : sum;
};

/** Every group's figures: pods, requests and limits, share of the group's requests, restarts and crash loops. */
export function CostByGroupTable(props: {
  accounting: SidecarAccountingResponse;
}) {
  const { accounting } = props;
  const columns: TableColumn<SidecarCostGroup & { id: string }>[] = [
    {
      title: GROUP_BY_LABELS[accounting.groupBy],
      render: g => groupLabel(g.key, accounting.groupBy),
    },
    { title: 'Pods', field: 'pods', type: 'numeric' },
    {
      title: 'CPU request / limit',
      render: g =>
        `${formatCores(g.requests.cpuCores)} / ${limitText(formatCores(g.limits.cpuCores), g.unlimitedPods.cpu, g.pods)}`,
    },
    {
      title: 'Memory request / limit',
      render: g =>
        `${formatBytes(g.requests.memoryBytes)} / ${limitText(formatBytes(g.limits.memoryBytes), g.unlimitedPods.memory, g.pods)}`,
    },
    {
      title: 'Share of requests (CPU · memory)',
      render: g =>
        `${formatPercent(g.shareOfRequests.cpu)} · ${formatPercent(g.shareOfRequests.memory)}`,
    },
    {
      title: 'Restarts (1 h · 24 h)',
      render: g => `${g.restarts.lastHour} · ${g.restarts.lastDay}`,
    },
    {
      title: 'Crash-looping pods',
      type: 'numeric',
      render: g => g.crashLoopingPods.lastDay,
    },
  ];
  return (
    <Table
      title={`${accounting.container} by ${GROUP_BY_LABELS[accounting.groupBy].toLowerCase()}`}
      columns={columns}
      data={accounting.groups.map(g => ({ ...g, id: g.key }))}
      options={{ paging: false, search: false, padding: 'dense' }}
    />
  );
}
