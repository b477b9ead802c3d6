import { useTheme } from '@material-ui/core';
import type { FleetResponse } from '@internal/plugin-sidecars-common';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { toFleetChartRows } from './fleetChartData';

const OLDER_VERSION_COLORS = [
  '#ff9800',
  '#f44336',
  '#9c27b0',
  '#3f51b5',
  '#795548',
  '#607d8b',
  '#e91e63',
  '#00bcd4',
];
const ROW_HEIGHT_PX = 32;
const CHART_WIDTH_BEFORE_LAYOUT_PX = 800;

/** Stacked bars of pods per version, one bar per cluster/namespace; the newest version in green. */
export function FleetVersionChart(props: { fleet: FleetResponse }) {
  const { fleet } = props;
  const theme = useTheme();
  const rows = toFleetChartRows(fleet);
  const olderVersions = fleet.versions.filter(
    version => version.version !== fleet.newestVersion,
  );
  const colorOf = (version: string) =>
    version === fleet.newestVersion
      ? theme.palette.success.main
      : OLDER_VERSION_COLORS[
          olderVersions.findIndex(v => v.version === version) %
            OLDER_VERSION_COLORS.length
        ];
  const height = Math.max(200, rows.length * ROW_HEIGHT_PX + 80);
  return (
    <div
      role="img"
      aria-label={`Pods per ${fleet.container} version in ${rows.length} cluster namespaces`}
    >
      <ResponsiveContainer
        width="100%"
        height={height}
        initialDimension={{ width: CHART_WIDTH_BEFORE_LAYOUT_PX, height }}
      >
        <BarChart
          data={rows}
          layout="vertical"
          margin={{ left: 16, right: 16 }}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            type="number"
            allowDecimals={false}
            label={{ value: 'pods', position: 'insideBottomRight', offset: -4 }}
          />
          <YAxis type="category" dataKey="location" width={220} />
          <Tooltip />
          <Legend />
          {fleet.versions.map(version => (
            <Bar
              key={version.version}
              dataKey={version.version}
              name={
                version.version === fleet.newestVersion
                  ? `${version.version} (newest)`
                  : version.version
              }
              stackId="pods"
              fill={colorOf(version.version)}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
