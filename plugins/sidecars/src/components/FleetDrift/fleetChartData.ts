import type { FleetResponse } from '@internal/plugin-sidecars-common';

/** One bar of the drift chart: pods per version in one cluster and namespace. */
export type FleetChartRow = { location: string } & Record<
  string,
  number | string
>;

/** Pivots the fleet's rows into one chart row per cluster/namespace, with a pod count per version. */
export function toFleetChartRows(fleet: FleetResponse): FleetChartRow[] {
  const rows = new Map<string, FleetChartRow>();
  for (const row of fleet.rows) {
    const location = `${row.cluster}/${row.namespace}`;
    const chartRow = rows.get(location) ?? { location };
    const previous = chartRow[row.version];
    chartRow[row.version] =
      (typeof previous === 'number' ? previous : 0) + row.pods;
    rows.set(location, chartRow);
  }
  return [...rows.values()].sort((a, b) =>
    a.location.localeCompare(b.location),
  );
}
