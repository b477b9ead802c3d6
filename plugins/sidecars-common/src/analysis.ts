// Metric health gates in the Argo Rollouts AnalysisTemplate model: the parts the workflow sandbox
// may load (types, durations, how a metric's tally of measurements is judged). No zod, no jexl.

/** The outcome of one measurement, or of a metric's or a whole analysis's run, as Argo Rollouts names them. */
export type AnalysisPhase = 'Successful' | 'Failed' | 'Inconclusive';

/** One analysis check as the validated spec carries it. */
export interface AnalysisMetricSpec {
  name: string;
  /** A PromQL query run as an instant query against the worker's Prometheus. */
  query: string;
  /** Time between measurements, as a duration such as "30s", "5m" or "1m30s". */
  interval: string;
  /** Measurements to take; the first is taken at once, each next one `interval` later. */
  count: number;
  successCondition?: string;
  failureCondition?: string;
  /** Failed measurements the metric may have; one more and it fails. */
  failureLimit: number;
  /** Inconclusive measurements the metric may have; one more and it is inconclusive. */
  inconclusiveLimit: number;
}

/** What a measurement found: its phase, the query's value in short, and why when it is not Successful. */
export interface Measurement {
  phase: AnalysisPhase;
  /** The query's value(s), shortened to a few samples, e.g. "[0.97]"; absent when there was none. */
  value?: string;
  message?: string;
}

/** A metric's measurements in one analysis run, counted. */
export interface MetricRunSummary {
  name: string;
  phase: AnalysisPhase | 'Running';
  measured: number;
  successful: number;
  failed: number;
  inconclusive: number;
  /** The last measurement's value and, when it was not Successful, its message. */
  lastValue?: string;
  lastMessage?: string;
}

/** One analysis run: after a batch (or a rolling window of batches), during its bake. */
export interface AnalysisRunSummary {
  /** The batch (first batch of a window) the run judged. */
  batch: number;
  lastBatch?: number;
  phase: AnalysisPhase | 'Running';
  metrics: MetricRunSummary[];
  startedAt: string;
  finishedAt?: string;
}

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Seconds in a duration such as "30s", "5m" or "1h30m"; null when it is not one. */
export function durationSeconds(value: string): number | null {
  const match = DURATION.exec(value);
  if (!match || value === '') return null;
  const [hours = 0, minutes = 0, seconds = 0] = match
    .slice(1)
    .map(part => (part === undefined ? 0 : Number(part)));
  return hours * 3600 + minutes * 60 + seconds;
}

export function newMetricRun(name: string): MetricRunSummary {
  return {
    name,
    phase: 'Running',
    measured: 0,
    successful: 0,
    failed: 0,
    inconclusive: 0,
  };
}

/**
 * Counts a measurement into a metric's run and judges it, as Argo Rollouts does: Failed once
 * failed measurements exceed failureLimit, Inconclusive once inconclusive ones exceed
 * inconclusiveLimit, Successful when all `count` measurements are in without either; else Running.
 */
export function countMeasurement(
  metric: Pick<
    AnalysisMetricSpec,
    'count' | 'failureLimit' | 'inconclusiveLimit'
  >,
  run: MetricRunSummary,
  measurement: Measurement,
): MetricRunSummary {
  const next: MetricRunSummary = {
    ...run,
    measured: run.measured + 1,
    successful: run.successful + (measurement.phase === 'Successful' ? 1 : 0),
    failed: run.failed + (measurement.phase === 'Failed' ? 1 : 0),
    inconclusive:
      run.inconclusive + (measurement.phase === 'Inconclusive' ? 1 : 0),
  };
  if (measurement.value !== undefined) next.lastValue = measurement.value;
  else delete next.lastValue;
  if (measurement.message !== undefined) next.lastMessage = measurement.message;
  else delete next.lastMessage;
  if (next.failed > metric.failureLimit) next.phase = 'Failed';
  else if (next.inconclusive > metric.inconclusiveLimit)
    next.phase = 'Inconclusive';
  else if (next.measured >= metric.count) next.phase = 'Successful';
  return next;
}

/** A run's phase from its metrics': Failed if any failed, else Inconclusive if any was, else Successful once all are. */
export function analysisPhase(
  metrics: readonly MetricRunSummary[],
): AnalysisRunSummary['phase'] {
  if (metrics.some(m => m.phase === 'Failed')) return 'Failed';
  if (metrics.some(m => m.phase === 'Inconclusive')) return 'Inconclusive';
  return metrics.every(m => m.phase === 'Successful')
    ? 'Successful'
    : 'Running';
}

/** One line on what a finished run found, naming the metrics that decided it, e.g. for a pause reason. */
export function describeAnalysisRun(run: AnalysisRunSummary): string {
  const batches =
    run.lastBatch !== undefined && run.lastBatch !== run.batch
      ? `batches ${run.batch + 1}-${run.lastBatch + 1}`
      : `batch ${run.batch + 1}`;
  const deciding = run.metrics.filter(m => m.phase === run.phase);
  const counted: Record<AnalysisRunSummary['phase'], keyof MetricRunSummary> = {
    Failed: 'failed',
    Inconclusive: 'inconclusive',
    Successful: 'successful',
    Running: 'measured',
  };
  const detail = deciding
    .map(m => {
      const counts = `${m[counted[run.phase]]} of ${m.measured} measurement(s) ${counted[run.phase]}`;
      const value =
        m.lastValue !== undefined ? `, last value ${m.lastValue}` : '';
      const message = m.lastMessage ? ` (${m.lastMessage})` : '';
      return `${m.name}: ${counts}${value}${message}`;
    })
    .join('; ');
  return `analysis after ${batches} ${run.phase.toLowerCase()}: ${detail}`;
}
