import { ApplicationFailure } from '@temporalio/activity';
import {
  judgeMeasurement,
  type Measurement,
} from '@internal/plugin-sidecars-common';
import type { CampaignRef } from '@internal/sidecar-workflows';
import {
  instantQuery,
  PrometheusUnavailable,
  QueryRefused,
} from '../prometheus';
import type { ActivityDependencies } from './context';

/**
 * One measurement of an analysis metric: its query against the worker's Prometheus, judged by
 * its conditions. An unreachable or failing Prometheus throws, so Temporal retries with backoff
 * (the workflow counts the measurement inconclusive once the retries are spent); a query it
 * refuses is an inconclusive measurement at once.
 */
export async function measureMetric(
  deps: ActivityDependencies,
  ref: CampaignRef,
  metricName: string,
): Promise<Measurement> {
  const metric = ref.spec.analysis?.metrics.find(m => m.name === metricName);
  if (!metric)
    throw ApplicationFailure.nonRetryable(
      `the campaign's spec has no analysis metric "${metricName}"`,
      'UnknownMetric',
    );
  if (!deps.prometheus)
    throw ApplicationFailure.nonRetryable(
      'this worker has no Prometheus to query: set PROMETHEUS_URL in its environment (docs/operators.md)',
      'NoPrometheus',
    );
  try {
    return judgeMeasurement(
      metric,
      await instantQuery(deps.prometheus, metric.query),
    );
  } catch (error) {
    if (error instanceof QueryRefused)
      return { phase: 'Inconclusive', message: error.message };
    if (error instanceof PrometheusUnavailable)
      throw ApplicationFailure.retryable(
        error.message,
        'PrometheusUnavailable',
      );
    throw error;
  }
}
