import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import {
  isSettledPhase,
  type CampaignPhase,
  type CampaignStatus,
} from '@internal/plugin-sidecars-common';
import { statusQuery } from '@internal/sidecar-workflows';
import { waitFor } from '@internal/dev-stack/stack/wait';
import { FakeCampaignActivities } from './fake-activities';
import { fakeWorkerSuite } from './fake-worker';

/**
 * How the workflow gates batches on analysis, with fake measurements scripted per campaign, so
 * each verdict (Successful, Failed, Inconclusive, Prometheus unreachable) is met on cue.
 */
describe('metric gates in the workflow', () => {
  const fakes = new FakeCampaignActivities();
  const startCampaign = fakeWorkerSuite('gates', fakes);

  const metric = {
    name: 'success-rate',
    query: 'vector(1)',
    interval: '1s',
    count: 2,
    successCondition: 'result[0] >= 0.95',
  };

  const start = (
    batches: number,
    extra: Record<string, unknown> = {},
  ): Promise<WorkflowHandle> =>
    startCampaign(
      batches,
      { rollbackWindowSeconds: 0 },
      { analysis: { metrics: [{ ...metric, ...extra }] } },
    );

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
