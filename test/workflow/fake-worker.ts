import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { parseCampaignSpec } from '@internal/plugin-sidecars-common';
import { WORKFLOW_TYPE, type CampaignInput } from '@internal/sidecar-workflows';
import { temporalFromEnvironment } from '@internal/sidecar-workers';
import type { FakeCampaignActivities } from './fake-activities';

/** The spec the workflow suites start from: one fake pod per batch, one at a time. */
const BASE_SPEC = {
  container: 'istio-proxy',
  targetImage: 'docker.io/istio/proxyv2:1.23.1',
  selector: { namespaces: ['fake'] },
};

/**
 * For a suite: the real workflow on the real Temporal dev server, on a task queue of its own, with
 * `fakes`' activities; started before the suite's tests and stopped after. `start` runs a campaign
 * of `batches` fake batches with the base spec, its strategy and anything else overridden, and
 * the rest of the workflow's input (e.g. its freezes).
 */
export function fakeWorkerSuite(
  name: string,
  fakes: FakeCampaignActivities,
  /** Activities besides the campaign's, e.g. those of a template run. */
  more: Record<string, (...args: never[]) => Promise<unknown>> = {},
) {
  const temporal = temporalFromEnvironment();
  const taskQueue = `${name}-${randomBytes(3).toString('hex')}`;
  let connection: Connection;
  let client: Client;
  let nativeConnection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;

  before(async () => {
    connection = await Connection.connect(temporal.connection);
    client = new Client({ connection, namespace: temporal.namespace });
    nativeConnection = await NativeConnection.connect(temporal.connection);
    worker = await Worker.create({
      connection: nativeConnection,
      namespace: temporal.namespace,
      taskQueue,
      workflowsPath:
        require.resolve('@internal/sidecar-workflows/src/workflows'),
      activities: { ...fakes.activities(), ...more },
    });
    running = worker.run();
  });
  after(async () => {
    worker.shutdown();
    await running;
    await nativeConnection.close();
    await connection.close();
  });

  async function start(
    batches: number,
    strategy: Record<string, unknown> = {},
    spec: Record<string, unknown> = {},
    {
      workflowId: chosenId,
      ...input
    }: Omit<CampaignInput, 'spec'> & {
      workflowId?: string;
    } = {},
  ): Promise<WorkflowHandle> {
    const parsed = parseCampaignSpec({
      ...BASE_SPEC,
      strategy: { maxUnavailable: 1, ...strategy },
      ...spec,
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const workflowId = chosenId ?? `${name}-${randomBytes(4).toString('hex')}`;
    fakes.plan(workflowId, batches);
    return client.workflow.start(WORKFLOW_TYPE, {
      taskQueue,
      workflowId,
      args: [{ ...input, spec: parsed.spec }],
    });
  }

  return Object.assign(start, {
    taskQueue,
    /** The suite's Temporal client (once the suite has started). */
    client: () => client,
  });
}
