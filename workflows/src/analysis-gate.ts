import * as wf from '@temporalio/workflow';
import {
  analysisPhase,
  countMeasurement,
  durationSeconds,
  newMetricRun,
  type AnalysisMetricSpec,
  type AnalysisRunSummary,
  type Measurement,
} from '@internal/plugin-sidecars-common/src/workflow';

export interface AnalysisGateDeps {
  /** One measurement of the named metric (an activity, retried on Prometheus errors). */
  measure(metricName: string): Promise<Measurement>;
  /** True once an abort or rollback arrived: the run stops measuring. */
  interrupted(): boolean;
  /** Called after each measurement, so the status shows the run as it goes. */
  progressed(): void;
}

const decided = (run: AnalysisRunSummary) =>
  run.metrics.some(m => m.phase === 'Failed' || m.phase === 'Inconclusive');

/** Why a measurement could not be taken, in a line: the activity's last error after its retries. */
function unmeasured(error: unknown): Measurement {
  let cause = String(error);
  if (error instanceof wf.ActivityFailure && error.cause instanceof Error)
    cause = error.cause.message;
  else if (error instanceof Error) cause = error.message;
  return {
    phase: 'Inconclusive',
    message: `Prometheus could not be queried: ${cause}`,
  };
}

/**
 * Runs the metrics side by side, each taking its first measurement at once and the next ones
 * `interval` apart on workflow timers, until every metric has its `count`, one fails or is
 * inconclusive past its limit (which ends the others too), or an abort or rollback arrives.
 * A measurement whose activity fails after its retries counts as Inconclusive.
 */
export async function runAnalysis(
  metrics: readonly AnalysisMetricSpec[],
  run: AnalysisRunSummary,
  deps: AnalysisGateDeps,
): Promise<void> {
  await Promise.all(
    metrics.map(async (metric, index) => {
      const intervalMs = (durationSeconds(metric.interval) ?? 30) * 1000;
      for (;;) {
        const measurement = await deps.measure(metric.name).catch(error => {
          if (wf.isCancellation(error)) throw error;
          return unmeasured(error);
        });
        const summary = countMeasurement(
          metric,
          run.metrics[index] ?? newMetricRun(metric.name),
          measurement,
        );
        run.metrics[index] = summary;
        run.phase = analysisPhase(run.metrics);
        deps.progressed();
        if (summary.phase !== 'Running' || decided(run)) return;
        const stop = () => deps.interrupted() || decided(run);
        if (await wf.condition(stop, intervalMs)) return;
      }
    }),
  );
}
