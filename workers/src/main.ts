import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import pRetry from 'p-retry';
import { TASK_QUEUE } from '@internal/sidecar-workflows';
import { startHealthServer } from './health-server';
import { clustersFromEnvironment } from './kube/clusters';
import { installTelemetry, workerPortsFromEnvironment } from './telemetry';
import { temporalFromEnvironment } from './temporal-connection';
import { createCampaignWorker } from './worker';

/** CPU time used so far: unlike wall time, it does not grow when the machine is busy. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return Math.round((user + system) / 1000);
}

/**
 * The worker process: `node --import tsx workers/src/main.ts`; stops cleanly on SIGINT/SIGTERM.
 * Health probes on WORKER_HTTP_PORT, Prometheus metrics on WORKER_METRICS_PORT.
 */
async function main(): Promise<void> {
  const temporal = temporalFromEnvironment();
  const clusters = clustersFromEnvironment();
  const ports = workerPortsFromEnvironment();
  installTelemetry(ports.metrics);
  // The health server starts first, so probes answer while Temporal is awaited: not ready until
  // the worker exists, then ready while it runs.
  let workerState = (): string => 'STARTING';
  const health = await startHealthServer(ports.health, () => {
    const state = workerState();
    return { ready: state === 'RUNNING', state };
  });
  // Temporal may come up after the worker (a rollout, a restart): keep trying, saying so.
  const connection = await pRetry(
    () => NativeConnection.connect(temporal.connection),
    {
      retries: 20,
      maxTimeout: 15_000,
      onFailedAttempt: ({ error, attemptNumber, retryDelay }) =>
        console.error(
          `cannot reach Temporal at ${temporal.connection.address} (attempt ${attemptNumber}: ${error.message}); retrying in ${Math.round(retryDelay / 1000)} s`,
        ),
    },
  );
  const client = new Client({
    connection: await Connection.connect(temporal.connection),
    namespace: temporal.namespace,
  });
  const taskQueue = process.env.TEMPORAL_TASK_QUEUE ?? TASK_QUEUE;
  const worker = await createCampaignWorker({
    connection,
    client,
    namespace: temporal.namespace,
    clusters,
    taskQueue,
  });
  workerState = () => worker.getState();
  const running = worker.run();
  console.log(
    `sidecar-campaigns worker polling: Temporal ${temporal.connection.address} (${temporal.namespace}), task queue ${taskQueue}, ` +
      `clusters ${[...clusters.keys()].join(', ')}; ${Math.round(performance.now())} ms after the process started (${cpuMs()} ms of CPU); ` +
      `health on :${ports.health} (/healthz, /readyz), metrics on :${ports.metrics}/metrics; ` +
      `metric gates query ${process.env.PROMETHEUS_URL || 'no Prometheus (PROMETHEUS_URL is unset)'}`,
  );
  await running;
  health.close();
  await connection.close();
}

main().catch(error => {
  console.error(
    `sidecar-campaigns worker failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
