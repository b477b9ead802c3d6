import type { Info } from '@temporalio/activity';
import type { MetricMeter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type {
  CampaignActivities,
  CampaignRef,
} from '@internal/sidecar-workflows';

/** The campaign metrics, exported next to the Temporal SDK's own on the worker's Prometheus endpoint. */
export const CAMPAIGN_METRICS = {
  podsPatched: 'sidecar_campaigns_pods_patched',
  podsFailed: 'sidecar_campaigns_pods_failed',
  podsRolledBack: 'sidecar_campaigns_pods_rolled_back',
  batchDuration: 'sidecar_campaigns_batch_duration_seconds',
} as const;

/** Batches take seconds (a canary) to an hour (slow readiness, a long bake); the SDK's default buckets are milliseconds. */
export const BATCH_DURATION_BUCKETS_SECONDS = [
  1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600,
];

const instruments = {
  podsPatched: (meter: MetricMeter) =>
    meter.createCounter(
      CAMPAIGN_METRICS.podsPatched,
      'pods',
      'Pods patched toward the target image',
    ),
  podsFailed: (meter: MetricMeter) =>
    meter.createCounter(
      CAMPAIGN_METRICS.podsFailed,
      'pods',
      'Pods that failed health checks and were restored',
    ),
  podsRolledBack: (meter: MetricMeter) =>
    meter.createCounter(
      CAMPAIGN_METRICS.podsRolledBack,
      'pods',
      'Pods restored to their previous image by a rollback',
    ),
  batchDuration: (meter: MetricMeter) =>
    meter.createHistogram(
      CAMPAIGN_METRICS.batchDuration,
      'float',
      's',
      'From a batch patched to the batch settled',
    ),
};

type ActivityResults = {
  [K in keyof CampaignActivities]: Awaited<ReturnType<CampaignActivities[K]>>;
};
type Recorders = {
  [K in keyof CampaignActivities]?: (
    meter: MetricMeter,
    result: ActivityResults[K],
    info: Info,
  ) => void;
};

const recorders: Recorders = {
  patchBatch: (meter, result) =>
    instruments.podsPatched(meter).add(result.patched),
  awaitBatch: (meter, result, info) => {
    instruments.podsFailed(meter).add(result.failed.length);
    // Since the batch's first await attempt was scheduled, i.e. its patches landed: retries and worker restarts included.
    instruments
      .batchDuration(meter)
      .record((Date.now() - info.scheduledTimestampMs) / 1000);
  },
  rollbackStep: (meter, result) => {
    instruments.podsRolledBack(meter).add(result.restored);
    instruments.podsFailed(meter).add(result.failed.length);
  },
};

/**
 * Counts what the campaign activities did from their results, on the activity's metric meter
 * (tagged with namespace, task queue and activity type), plus the sidecar container's name.
 */
export const campaignMetricsInterceptor: ActivityInterceptorsFactory = ctx => ({
  inbound: {
    async execute(input, next) {
      const result = await next(input);
      const record = recorders[
        ctx.info.activityType as keyof CampaignActivities
      ] as
        ((meter: MetricMeter, result: unknown, info: Info) => void) | undefined;
      const ref = input.args[0] as CampaignRef;
      record?.(
        ctx.metricMeter.withTags({ sidecar: ref.spec.container }),
        result,
        ctx.info,
      );
      return result;
    },
  },
});
