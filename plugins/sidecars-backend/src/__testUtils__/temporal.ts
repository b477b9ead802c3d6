import { Client, Connection } from '@temporalio/client';

/** How many workflows exist on a task queue, straight from Temporal's visibility (not through the API under test). */
export async function workflowsOnQueue(taskQueue: string): Promise<number> {
  const connection = await Connection.connect({
    address: process.env.TEMPORAL_ADDRESS!,
  });
  try {
    const client = new Client({
      connection,
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    });
    return (await client.workflow.count(`TaskQueue = '${taskQueue}'`)).count;
  } finally {
    await connection.close();
  }
}
