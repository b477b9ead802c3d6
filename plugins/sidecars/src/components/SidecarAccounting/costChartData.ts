import type { SidecarAccountingResponse } from '@internal/plugin-sidecars-common';
import { groupLabel } from './accountingFormat';

export type CostMetric = 'cpu' | 'memory';

export interface CostChartRow {
  group: string;
  /** Cores for cpu, GiB for memory, rounded for the axis. */
  value: number;
}

/** One row per group, largest first, in the unit the chart's axis shows. */
export function toCostChartRows(
  accounting: SidecarAccountingResponse,
  metric: CostMetric,
): CostChartRow[] {
  return accounting.groups
    .map(g => ({
      group: groupLabel(g.key, accounting.groupBy),
      value:
        metric === 'cpu'
          ? Math.round(g.requests.cpuCores * 1000) / 1000
          : Math.round((g.requests.memoryBytes / 2 ** 30) * 1000) / 1000,
    }))
    .sort((a, b) => b.value - a.value || a.group.localeCompare(b.group));
}
