import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import {
  isSettledPhase,
  parseCampaignSpec,
  type CampaignPhase,
  type CampaignStatus,
} from '@internal/plugin-sidecars-common';
import {
  statusQuery,
  WORKFLOW_TYPE,
  type CampaignInput,
} from '@internal/sidecar-workflows';
import {
  clustersFromEnvironment,
  createCampaignWorker,
  temporalFromEnvironment,
  type ClusterRegistry,
  type PrometheusSettings,
} from '@internal/sidecar-workers';
import { waitFor } from '@internal/dev-stack/stack/wait';

/** A Temporal client and, on a task queue of the test's own, a campaign worker running in this process. */
export async function campaignHarness(
  name: string,
  temporal = temporalFromEnvironment(),
) {
  const connection = await Connection.connect(temporal.connection);
  const client = new Client({ connection, namespace: temporal.namespace });
  const taskQueue = `${name}-${randomBytes(3).toString('hex')}`;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let nativeConnection: NativeConnection | undefined;

  return {
    client,
    taskQueue,
    /** `prometheus` overrides the stack's (PROMETHEUS_URL) for the metric gates. */
    async startWorker(
      clusters: ClusterRegistry = clustersFromEnvironment(),
      prometheus?: PrometheusSettings,
    ) {
      nativeConnection = await NativeConnection.connect(temporal.connection);
      worker = await createCampaignWorker({
        connection: nativeConnection,
        client,
        namespace: temporal.namespace,
        clusters,
        taskQueue,
        ...(prometheus ? { prometheus } : {}),
      });
      running = worker.run();
    },
    async start(
      spec: unknown,
      extra: Omit<CampaignInput, 'spec'> = {},
    ): Promise<WorkflowHandle> {
      const parsed = parseCampaignSpec(spec);
      if (!parsed.ok)
        throw new Error(`bad spec in test: ${JSON.stringify(parsed.errors)}`);
      const workflowId = `${name}-${randomBytes(4).toString('hex')}`;
      return client.workflow.start(WORKFLOW_TYPE, {
        taskQueue,
        workflowId,
        args: [{ spec: parsed.spec, ...extra }],
      });
    },
    /** Shuts the in-process worker down, as if its process had gone away; `startWorker` brings one back. */
    async stopWorker() {
      worker?.shutdown();
      await running;
      await nativeConnection?.close();
      worker = undefined;
      running = undefined;
      nativeConnection = undefined;
    },
    async close() {
      await this.stopWorker();
      await connection.close();
    },
  };
}

export type CampaignHarness = Awaited<ReturnType<typeof campaignHarness>>;

/** For a suite: a harness with its in-process worker, started before the suite's tests and closed after. */
export function suiteHarness(name: string): () => CampaignHarness {
  let harness: CampaignHarness | undefined;
  before(async () => {
    harness = await campaignHarness(name);
    await harness.startWorker();
  });
  after(() => harness?.close());
  return () => harness!;
}

export const statusOf = (handle: WorkflowHandle) => handle.query(statusQuery);

export async function awaitStatus(
  handle: WorkflowHandle,
  what: string,
  accept: (status: CampaignStatus) => boolean,
  timeoutMs = 120_000,
): Promise<CampaignStatus> {
  return waitFor(
    async () => {
      const status = await statusOf(handle);
      return accept(status) && status;
    },
    { what, timeoutMs, intervalMs: 250 },
  );
}

/** Waits for `phase`; fails at once, with the campaign's reason, if it settles in another one. */
export async function awaitPhase(
  handle: WorkflowHandle,
  phase: CampaignPhase,
  timeoutMs?: number,
): Promise<CampaignStatus> {
  const status = await awaitStatus(
    handle,
    `campaign ${handle.workflowId} to reach ${phase}`,
    s => s.phase === phase || isSettledPhase(s.phase),
    timeoutMs,
  );
  if (status.phase !== phase) {
    throw new Error(
      `campaign ${handle.workflowId} ended ${status.phase} (${status.phaseReason ?? 'no reason'}) instead of ${phase}; events: ${JSON.stringify(status.events.slice(-8))}`,
    );
  }
  return status;
}
