import { Client, Connection } from '@temporalio/client';
import { CAMPAIGN_WORKFLOW_TYPE } from '@internal/plugin-sidecars-common';

/** How many campaigns exist on a task queue (their waves' lanes not counted), straight from Temporal's visibility (not through the API under test). */
export async function workflowsOnQueue(taskQueue: string): Promise<number> {
  const connection = await Connection.connect({
    address: process.env.TEMPORAL_ADDRESS!,
  });
  try {
    const client = new Client({
      connection,
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    });
    return (
      await client.workflow.count(
        `TaskQueue = '${taskQueue}' AND WorkflowType = '${CAMPAIGN_WORKFLOW_TYPE}'`,
      )
    ).count;
  } finally {
    await connection.close();
  }
}
