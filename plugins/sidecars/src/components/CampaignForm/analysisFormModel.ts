import type { CampaignSpecInput } from '@internal/plugin-sidecars-common';
import { optionalNumber, textOrUndefined } from './typedValues';

/** One metric gate as the form holds it, every field as typed. */
export interface AnalysisMetricValues {
  name: string;
  query: string;
  interval: string;
  count: string;
  successCondition: string;
  failureCondition: string;
  failureLimit: string;
  inconclusiveLimit: string;
}

export const ANALYSIS_METRIC_FIELDS = [
  'name',
  'query',
  'interval',
  'count',
  'successCondition',
  'failureCondition',
  'failureLimit',
  'inconclusiveLimit',
] as const satisfies ReadonlyArray<keyof AnalysisMetricValues>;

export function newAnalysisMetric(index: number): AnalysisMetricValues {
  return {
    name: index === 0 ? 'success-rate' : `metric-${index + 1}`,
    query: '',
    interval: '30s',
    count: '3',
    successCondition: 'result[0] >= 0.95',
    failureCondition: '',
    failureLimit: '0',
    inconclusiveLimit: '0',
  };
}

/** The spec's analysis from the form's metrics; undefined when there are none. */
export function toAnalysisSpec(
  metrics: readonly AnalysisMetricValues[],
): CampaignSpecInput['analysis'] {
  if (metrics.length === 0) return undefined;
  return {
    metrics: metrics.map(metric => ({
      name: metric.name.trim(),
      query: metric.query.trim(),
      interval: textOrUndefined(metric.interval),
      count: optionalNumber(metric.count),
      successCondition: textOrUndefined(metric.successCondition),
      failureCondition: textOrUndefined(metric.failureCondition),
      failureLimit: optionalNumber(metric.failureLimit),
      inconclusiveLimit: optionalNumber(metric.inconclusiveLimit),
    })),
  };
}

/** Spec paths the form shows an input for, for its metrics. */
export function analysisInputPaths(
  metrics: readonly AnalysisMetricValues[],
): string[] {
  return [
    'analysis',
    'analysis.metrics',
    ...metrics.flatMap((_, index) =>
      ANALYSIS_METRIC_FIELDS.map(key => `analysis.metrics.${index}.${key}`),
    ),
  ];
}
