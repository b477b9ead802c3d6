import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import {
  isSettledPhase,
  parseCampaignSpec,
  type CampaignPhase,
  type CampaignStatus,
} from '@internal/plugin-sidecars-common';
import { statusQuery, WORKFLOW_TYPE } from '@internal/sidecar-workflows';
import { temporalFromEnvironment } from '@internal/sidecar-workers';
import { waitFor } from '@internal/dev-stack/stack/wait';
import { FakeCampaignActivities } from './fake-activities';

/**
 * How the workflow gates batches on analysis, with fake measurements scripted per campaign, so
 * each verdict (Successful, Failed, Inconclusive, Prometheus unreachable) is met on cue.
 */
describe('metric gates in the workflow', () => {
  const temporal = temporalFromEnvironment();
  const taskQueue = `gates-${randomBytes(3).toString('hex')}`;
  const fakes = new FakeCampaignActivities();
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
      activities: fakes.activities(),
    });
    running = worker.run();
  });
  after(async () => {
    worker.shutdown();
    await running;
    await nativeConnection.close();
    await connection.close();
  });

  const metric = {
    name: 'success-rate',
    query: 'vector(1)',
    interval: '1s',
    count: 2,
    successCondition: 'result[0] >= 0.95',
  };

  async function start(
    batches: number,
    extra: Record<string, unknown> = {},
    strategy: Record<string, unknown> = {},
  ): Promise<WorkflowHandle> {
    const parsed = parseCampaignSpec({
      container: 'istio-proxy',
      targetImage: 'docker.io/istio/proxyv2:1.23.1',
      selector: { namespaces: ['fake'] },
      strategy: { maxUnavailable: 1, rollbackWindowSeconds: 0, ...strategy },
      analysis: { metrics: [{ ...metric, ...extra }] },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const workflowId = `gates-${randomBytes(4).toString('hex')}`;
    fakes.plan(workflowId, batches);
    return client.workflow.start(WORKFLOW_TYPE, {
      taskQueue,
      workflowId,
      args: [{ spec: parsed.spec }],
    });
  }

  const status = (handle: WorkflowHandle): Promise<CampaignStatus> =>
    handle.query(statusQuery);
  const awaitPhase = (handle: WorkflowHandle, phase: CampaignPhase) =>
    waitFor(
      async () => {
        const s = await status(handle);
        if (s.phase !== phase && isSettledPhase(s.phase))
          throw new Error(`ended ${s.phase}: ${s.phaseReason}`);
        return s.phase === phase && s;
      },
      { what: `the campaign to reach ${phase}`, timeoutMs: 30_000 },
    );

  test('measures count times after every batch and completes when each run is successful', async () => {
    const handle = await start(2);
    const done = await awaitPhase(handle, 'Completed');
    assert.equal(fakes.measuredCount(handle.workflowId), 4);
    assert.deepEqual(
      done.analysisRuns?.map(r => [r.batch, r.phase, r.metrics[0]?.measured]),
      [
        [0, 'Successful', 2],
        [1, 'Successful', 2],
      ],
    );
    assert.equal(done.analysisRuns?.[0]?.metrics[0]?.lastValue, '[1]');
  });

  test('a failed run counts against the failure budget, and the rollback follows', async () => {
    const handle = await start(3);
    fakes.measure(handle.workflowId, {
      phase: 'Failed',
      value: '[0.4]',
      message: 'successCondition result[0] >= 0.95 did not hold',
    });
    const done = await awaitPhase(handle, 'RolledBack');
    assert.match(
      done.phaseReason ?? '',
      /failure budget exceeded: 0 pod\(s\) and 1 analysis run\(s\) failed, budget 0; last: analysis after batch 1 failed: success-rate: 1 of 1 measurement\(s\) failed, last value \[0\.4\]/,
    );
    assert.equal(
      fakes.patchedBatches(handle.workflowId),
      1,
      'no batch after the failed analysis',
    );
    assert.equal(
      fakes.measuredCount(handle.workflowId),
      1,
      'a failure ends the run at once',
    );
  });

  test('a failure within failureLimit does not fail the run', async () => {
    const handle = await start(1, { failureLimit: 1 });
    fakes.measure(handle.workflowId, { phase: 'Failed', value: '[0.4]' });
    const done = await awaitPhase(handle, 'Completed');
    assert.equal(done.analysisRuns?.[0]?.metrics[0]?.failed, 1);
    assert.equal(done.analysisRuns?.[0]?.phase, 'Successful');
  });

  test('an inconclusive run pauses with the reason, and a resume goes on', async () => {
    const handle = await start(2);
    fakes.measure(handle.workflowId, {
      phase: 'Inconclusive',
      value: '[]',
      message: 'the query returned no data',
    });
    const paused = await awaitPhase(handle, 'Paused');
    assert.match(
      paused.pausedReason ?? '',
      /analysis after batch 1 inconclusive: success-rate: 1 of 1 measurement\(s\) inconclusive, last value \[\] \(the query returned no data\)/,
    );
    assert.equal(fakes.patchedBatches(handle.workflowId), 1);
    await handle.signal('resume', { by: 'user:default/pat' });
    await awaitPhase(handle, 'Completed');
    assert.equal(fakes.patchedBatches(handle.workflowId), 2);
  });

  test('an inconclusive run after the last batch holds the campaign until someone resumes or rolls back', async () => {
    const handle = await start(1);
    fakes.measure(handle.workflowId, { phase: 'Inconclusive', message: 'x' });
    await awaitPhase(handle, 'Paused');
    await handle.signal('rollback', {
      by: 'user:default/pat',
      reason: 'metric missing',
    });
    await awaitPhase(handle, 'RolledBack');
  });

  test('Prometheus unreachable past the retries is an inconclusive measurement: the campaign pauses and says why', async () => {
    const handle = await start(2);
    fakes.measure(
      handle.workflowId,
      'Prometheus at http://127.0.0.1:1 is unreachable: connect ECONNREFUSED',
    );
    const paused = await awaitPhase(handle, 'Paused');
    assert.match(
      paused.pausedReason ?? '',
      /inconclusive: success-rate: .*\(Prometheus could not be queried: Prometheus at http:\/\/127\.0\.0\.1:1 is unreachable: connect ECONNREFUSED\)/,
    );
  });
});
