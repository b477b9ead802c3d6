import { EmptyState, InfoCard } from '@backstage/core-components';
import { Paper, Typography, useTheme } from '@material-ui/core';
import type { CampaignStatus } from '@internal/plugin-sidecars-common';
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
import { type BatchChartRow, toBatchChartRows } from './batchChartData';

const CHART_HEIGHT_PX = 280;
const CHART_WIDTH_BEFORE_LAYOUT_PX = 800;

function BatchTooltip(props: {
  active?: boolean;
  payload?: ReadonlyArray<{ payload?: BatchChartRow }>;
}) {
  const row = props.active ? props.payload?.[0]?.payload : undefined;
  if (!row) return null;
  return (
    <Paper style={{ padding: 8 }}>
      <Typography variant="subtitle2">Batch {row.label}</Typography>
      <Typography variant="body2">
        {row.upgraded} upgraded, {row.failed} failed, {row.rolledBack} rolled
        back, {row.skipped} skipped
        {row.inFlight > 0 ? `, ${row.inFlight} in flight` : ''}
      </Typography>
      <Typography variant="caption">{row.timing}</Typography>
    </Paper>
  );
}

/** One stacked bar per batch in the order they ran; rollback batches are marked ↩. */
export function BatchTimelineChart(props: { status: CampaignStatus }) {
  const { batches, phase, totalBatches } = props.status;
  const theme = useTheme();
  const rows = toBatchChartRows(batches);
  return (
    <InfoCard
      title="Batches"
      subheader={`${batches.length} of ${totalBatches} planned batches started`}
    >
      {rows.length === 0 ? (
        <EmptyState
          missing="data"
          title="No batch has started yet"
          description={
            phase === 'Scheduled'
              ? 'The campaign waits for its start time or its next maintenance window.'
              : 'Batches appear here as soon as the first one starts.'
          }
        />
      ) : (
        <div role="img" aria-label={`${rows.length} batches started`}>
          <ResponsiveContainer
            width="100%"
            height={CHART_HEIGHT_PX}
            initialDimension={{
              width: CHART_WIDTH_BEFORE_LAYOUT_PX,
              height: CHART_HEIGHT_PX,
            }}
          >
            <BarChart data={rows}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis
                dataKey="label"
                label={{
                  value: 'batch',
                  position: 'insideBottomRight',
                  offset: -4,
                }}
              />
              <YAxis
                allowDecimals={false}
                label={{ value: 'pods', angle: -90, position: 'insideLeft' }}
              />
              <Tooltip content={<BatchTooltip />} />
              <Legend />
              <Bar
                dataKey="upgraded"
                name="Upgraded"
                stackId="pods"
                fill={theme.palette.success.main}
                isAnimationActive={false}
              />
              <Bar
                dataKey="failed"
                name="Failed"
                stackId="pods"
                fill={theme.palette.error.main}
                isAnimationActive={false}
              />
              <Bar
                dataKey="rolledBack"
                name="Rolled back"
                stackId="pods"
                fill={theme.palette.warning.main}
                isAnimationActive={false}
              />
              <Bar
                dataKey="skipped"
                name="Skipped"
                stackId="pods"
                fill={theme.palette.grey[500]}
                isAnimationActive={false}
              />
              <Bar
                dataKey="inFlight"
                name="In flight"
                stackId="pods"
                fill={theme.palette.info.light}
                isAnimationActive={false}
              />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </InfoCard>
  );
}
