import { optionalTsToMs } from '@temporalio/common/lib/time';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { WorkerPresence } from '@internal/plugin-sidecars-common';

/** The last poll of the campaign task queue by any worker, from Temporal's task queue description. */
export async function lastPollOf(
  client: Client,
  namespace: string,
  taskQueue: string,
): Promise<Date | undefined> {
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace,
    taskQueue: {
      name: taskQueue,
      kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL,
    },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  const times = pollers
    .map(p => optionalTsToMs(p.lastAccessTime) ?? 0)
    .filter(ms => ms > 0);
  return times.length > 0 ? new Date(Math.max(...times)) : undefined;
}

/** What the portal tells the user when the campaign's worker did not answer. */
export function absentWorker(
  taskQueue: string,
  lastPoll: Date | undefined,
): WorkerPresence {
  const since = lastPoll ? `since ${lastPoll.toISOString()}` : 'yet';
  return {
    polling: false,
    ...(lastPoll ? { lastPollAt: lastPoll.toISOString() } : {}),
    message:
      `no worker has answered on task queue ${taskQueue} ${since}: the status shown is the last one the campaign recorded, ` +
      'and controls you send are kept by Temporal and take effect, in order, before any new patch once a worker polls again',
  };
}
