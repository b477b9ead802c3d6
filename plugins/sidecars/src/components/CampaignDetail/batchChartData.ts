import type { BatchSummary } from '@internal/plugin-sidecars-common';
import { formatDuration } from '../../format';

export interface BatchChartRow {
  label: string;
  upgraded: number;
  failed: number;
  rolledBack: number;
  skipped: number;
  /** Pods of the batch without an outcome yet. */
  inFlight: number;
  timing: string;
}

function timingOf(batch: BatchSummary, now: Date): string {
  const started = Date.parse(batch.startedAt);
  const finished = batch.finishedAt
    ? Date.parse(batch.finishedAt)
    : now.getTime();
  const duration = formatDuration((finished - started) / 1000);
  return batch.finishedAt ? `took ${duration}` : `running for ${duration}`;
}

export function toBatchChartRows(
  batches: readonly BatchSummary[],
  now = new Date(),
): BatchChartRow[] {
  return batches.map(batch => {
    const settled =
      batch.upgraded + batch.failed + batch.rolledBack + batch.skipped;
    return {
      label: `${batch.index + 1}${batch.direction === 'rollback' ? ' ↩' : ''}`,
      upgraded: batch.upgraded,
      failed: batch.failed,
      rolledBack: batch.rolledBack,
      skipped: batch.skipped,
      inFlight: Math.max(0, batch.size - settled),
      timing: timingOf(batch, now),
    };
  });
}
