import { Table, type TableColumn } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import type {
  AnalysisRunSummary,
  CampaignAnalysis,
} from '@internal/plugin-sidecars-common';
import { formatTime } from '../../format';

/** One row per metric of each run: what the gate measured after a batch, and what it decided. */
interface GateRow {
  id: string;
  batches: string;
  metric: string;
  phase: AnalysisRunSummary['phase'];
  /** The run ended (an abort or rollback stopped it) before this metric decided. */
  stopped: boolean;
  measurements: string;
  lastValue: string;
  message: string;
  at: string;
}

const PHASE_WORDS: Record<AnalysisRunSummary['phase'], string> = {
  Running: 'measuring',
  Successful: 'passed',
  Failed: 'failed',
  Inconclusive: 'inconclusive',
};

const columns: TableColumn<GateRow>[] = [
  { title: 'After', field: 'batches' },
  { title: 'Metric', field: 'metric' },
  {
    title: 'Result',
    render: row => (
      <Typography
        variant="body2"
        color={
          row.phase === 'Failed' || row.phase === 'Inconclusive'
            ? 'error'
            : 'textPrimary'
        }
      >
        {row.stopped ? 'stopped' : PHASE_WORDS[row.phase]}
      </Typography>
    ),
  },
  { title: 'Measurements', field: 'measurements' },
  { title: 'Last value', field: 'lastValue' },
  { title: 'Why', field: 'message' },
  { title: 'When', field: 'at' },
];

function rowsOf(runs: readonly AnalysisRunSummary[]): GateRow[] {
  return [...runs].reverse().flatMap(run =>
    run.metrics.map(metric => ({
      id: `${run.startedAt}/${run.batch}/${metric.name}`,
      batches:
        run.lastBatch !== undefined && run.lastBatch !== run.batch
          ? `batches ${run.batch + 1}–${run.lastBatch + 1}`
          : `batch ${run.batch + 1}`,
      metric: metric.name,
      phase: metric.phase,
      stopped: metric.phase === 'Running' && run.finishedAt !== undefined,
      measurements: `${metric.measured}: ${metric.successful} passed, ${metric.failed} failed, ${metric.inconclusive} inconclusive`,
      lastValue: metric.lastValue ?? '—',
      message: metric.lastMessage ?? '',
      at: formatTime(run.finishedAt ?? run.startedAt),
    })),
  );
}

/** The metric gates: each analysis run after a batch or window, newest first, one row per metric. */
export function AnalysisRunsTable(props: {
  analysis: CampaignAnalysis;
  runs: readonly AnalysisRunSummary[];
}) {
  const rows = rowsOf(props.runs);
  return (
    <Table<GateRow>
      title={`Metric gates (${props.analysis.metrics.map(m => m.name).join(', ')})`}
      columns={columns}
      data={rows}
      options={{
        paging: rows.length > 10,
        pageSize: 10,
        search: false,
        padding: 'dense',
      }}
      emptyContent={
        <Box p={2}>
          <Typography variant="body2" color="textSecondary">
            No analysis yet: the gates measure after the first batch.
          </Typography>
        </Box>
      }
    />
  );
}
