import type { CampaignAnalysis } from '@internal/plugin-sidecars-common';

type Metric = CampaignAnalysis['metrics'][number];

/** One metric gate in a user's words, e.g. "success-rate: 3 × every 30s, passes when result[0] >= 0.95". */
export function describeMetric(metric: Metric): string {
  const when = [
    metric.successCondition && `passes when ${metric.successCondition}`,
    metric.failureCondition && `fails when ${metric.failureCondition}`,
  ]
    .filter(Boolean)
    .join(', ');
  const limits = [
    metric.failureLimit > 0 && `${metric.failureLimit} failure(s) allowed`,
    metric.inconclusiveLimit > 0 &&
      `${metric.inconclusiveLimit} inconclusive allowed`,
  ]
    .filter(Boolean)
    .join(', ');
  const times =
    metric.count === 1 ? 'once' : `${metric.count} × every ${metric.interval}`;
  return `${metric.name}: ${times}, ${when}${limits ? ` (${limits})` : ''}`;
}

/** The metric gates of a spec in a sentence; undefined for a spec without them. */
export function describeAnalysis(
  analysis: CampaignAnalysis | undefined,
): string | undefined {
  if (!analysis) return undefined;
  return analysis.metrics.map(describeMetric).join('; ');
}
