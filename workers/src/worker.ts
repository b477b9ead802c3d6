import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { TASK_QUEUE } from '@internal/sidecar-workflows';
import { createActivities } from './activities';
import { campaignMetricsInterceptor } from './campaign-metrics';
import type { ClusterRegistry } from './kube/clusters';
import {
  prometheusFromEnvironment,
  type PrometheusSettings,
} from './prometheus';
import { workflowCodeOption } from './workflow-bundle';

export interface CampaignWorkerOptions {
  connection: NativeConnection;
  client: Client;
  namespace: string;
  clusters: ClusterRegistry;
  taskQueue?: string;
  /** Where the metric gates' queries go; by default from PROMETHEUS_URL. */
  prometheus?: PrometheusSettings;
}

/**
 * A worker for task queue `sidecar-campaigns`: the workflow code (pre-bundled when fresh) plus
 * the Kubernetes activities, whose results feed the campaign metrics.
 */
export async function createCampaignWorker(
  options: CampaignWorkerOptions,
): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    ...workflowCodeOption(line => console.log(line)),
    interceptors: { activity: [campaignMetricsInterceptor] },
    // Cancellation reaches an activity with its heartbeats: short throttles make a pause prompt.
    defaultHeartbeatThrottleInterval: '500ms',
    maxHeartbeatThrottleInterval: '1s',
    activities: createActivities({
      clusters: options.clusters,
      prometheus: options.prometheus ?? prometheusFromEnvironment(),
      isCampaignActive: campaignId => isRunning(options.client, campaignId),
    }),
  });
}

async function isRunning(client: Client, workflowId: string): Promise<boolean> {
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    return description.status.name === 'RUNNING';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}
