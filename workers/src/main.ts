import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import pRetry from 'p-retry';
import { TASK_QUEUE } from '@internal/sidecar-workflows';
import { clustersFromEnvironment } from './kube/clusters';
import { temporalFromEnvironment } from './temporal-connection';
import { createCampaignWorker } from './worker';

/** The worker process: `node --import tsx workers/src/main.ts`; stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const temporal = temporalFromEnvironment();
  const clusters = clustersFromEnvironment();
  // Temporal may come up after the worker (a rollout, a restart): keep trying, saying so.
  const connection = await pRetry(() => NativeConnection.connect(temporal.connection), {
    retries: 20,
    maxTimeout: 15_000,
    onFailedAttempt: ({ error, attemptNumber, retryDelay }) =>
      console.error(`cannot reach Temporal at ${temporal.connection.address} (attempt ${attemptNumber}: ${error.message}); retrying in ${Math.round(retryDelay / 1000)} s`),
  });
  const client = new Client({ connection: await Connection.connect(temporal.connection), namespace: temporal.namespace });
  const taskQueue = process.env.TEMPORAL_TASK_QUEUE ?? TASK_QUEUE;
  const worker = await createCampaignWorker({ connection, client, namespace: temporal.namespace, clusters, taskQueue });
  console.log(`sidecar-campaigns worker: Temporal ${temporal.connection.address} (${temporal.namespace}), task queue ${taskQueue}, clusters ${[...clusters.keys()].join(', ')}`);
  await worker.run();
  await connection.close();
}

main().catch(error => {
  console.error(`sidecar-campaigns worker failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
