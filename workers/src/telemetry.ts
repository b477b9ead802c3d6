import { Runtime } from '@temporalio/worker';
import {
  BATCH_DURATION_BUCKETS_SECONDS,
  CAMPAIGN_METRICS,
} from './campaign-metrics';

/** The worker's HTTP ports: health probes (WORKER_HTTP_PORT) and Prometheus metrics (WORKER_METRICS_PORT). */
export interface WorkerPorts {
  health: number;
  metrics: number;
}

export const DEFAULT_WORKER_PORTS: WorkerPorts = {
  health: 9465,
  metrics: 9464,
};

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 65_535)
    throw new Error(
      `${name} must be a port number from 1 to 65535, got "${text}": set it to a free port or unset it for ${fallback}`,
    );
  return value;
}

export function workerPortsFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): WorkerPorts {
  return {
    health: port(env, 'WORKER_HTTP_PORT', DEFAULT_WORKER_PORTS.health),
    metrics: port(env, 'WORKER_METRICS_PORT', DEFAULT_WORKER_PORTS.metrics),
  };
}

/**
 * Installs the Temporal runtime with its Prometheus exporter on `metricsPort` (all interfaces,
 * `/metrics`): the SDK's worker metrics and the campaign metrics recorded on its meter. Must run
 * before the first connection to Temporal.
 */
export function installTelemetry(metricsPort: number): void {
  Runtime.install({
    telemetryOptions: {
      metrics: {
        prometheus: {
          bindAddress: `0.0.0.0:${metricsPort}`,
          histogramBucketOverrides: {
            [CAMPAIGN_METRICS.batchDuration]: BATCH_DURATION_BUCKETS_SECONDS,
          },
        },
      },
    },
  });
}
