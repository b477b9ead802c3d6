import { useTheme } from '@material-ui/core';
import type { SidecarAccountingResponse } from '@internal/plugin-sidecars-common';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { toCostChartRows, type CostMetric } from './costChartData';
import { GROUP_BY_LABELS } from './accountingFormat';

const ROW_HEIGHT_PX = 32;
const CHART_WIDTH_BEFORE_LAYOUT_PX = 500;

const METRICS: Record<
  CostMetric,
  { title: string; unit: string; format: (value: number) => string }
> = {
  cpu: {
    title: 'CPU requested',
    unit: 'cores',
    format: value => `${value} cores`,
  },
  memory: {
    title: 'Memory requested',
    unit: 'GiB',
    format: value => `${value} GiB`,
  },
};

/** Bars of the sidecar's requests per group: who pays for it. */
export function CostByGroupChart(props: {
  accounting: SidecarAccountingResponse;
  metric: CostMetric;
}) {
  const { accounting, metric } = props;
  const theme = useTheme();
  const rows = toCostChartRows(accounting, metric);
  const { title, unit, format } = METRICS[metric];
  const height = Math.max(160, rows.length * ROW_HEIGHT_PX + 60);
  return (
    <div
      role="img"
      aria-label={`${title} by ${accounting.container} per ${GROUP_BY_LABELS[accounting.groupBy].toLowerCase()}`}
    >
      <ResponsiveContainer
        width="100%"
        height={height}
        initialDimension={{ width: CHART_WIDTH_BEFORE_LAYOUT_PX, height }}
      >
        <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            type="number"
            label={{ value: unit, position: 'insideBottomRight', offset: -4 }}
          />
          <YAxis type="category" dataKey="group" width={180} />
          <Tooltip formatter={value => format(Number(value))} />
          <Bar
            dataKey="value"
            name={title}
            fill={
              metric === 'cpu'
                ? theme.palette.primary.main
                : theme.palette.secondary.main
            }
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
