import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { TASK_QUEUE } from '@internal/sidecar-workflows';
import { clustersFromEnvironment } from './kube/clusters';
import { temporalFromEnvironment } from './temporal-connection';
import { createCampaignWorker } from './worker';

/** The worker process: `node --import tsx workers/src/main.ts`; stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const temporal = temporalFromEnvironment();
  const clusters = clustersFromEnvironment();
  const connection = await NativeConnection.connect(temporal.connection);
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
