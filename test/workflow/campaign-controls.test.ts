import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import type {
  CampaignSignal,
  CampaignStatus,
} from '@internal/plugin-sidecars-common';
import { statusQuery } from '@internal/sidecar-workflows';
import { waitFor } from '@internal/dev-stack/stack/wait';
import { FakeCampaignActivities } from './fake-activities';
import { fakeWorkerSuite } from './fake-worker';

/**
 * The workflow's control handling against the real Temporal dev server, with fake activities that
 * the test holds open, so a control can be sent at an exact moment (e.g. during the last batch).
 */
describe('campaign controls', () => {
  const fakes = new FakeCampaignActivities();
  const start = fakeWorkerSuite('controls', fakes);

  const status = (handle: WorkflowHandle): Promise<CampaignStatus> =>
    handle.query(statusQuery);
  const recorded = (handle: WorkflowHandle, type: string) =>
    waitFor(
      async () => (await status(handle)).events.some(e => e.type === type),
      { what: `the campaign to record ${type}`, timeoutMs: 20_000 },
    );
  const signal = (handle: WorkflowHandle, action: CampaignSignal) =>
    handle.signal(action, { by: 'user:default/pat', reason: 'test' });

  for (const [action, phase] of [
    ['rollback', 'RolledBack'],
    ['abort', 'Aborted'],
  ] as const) {
    test(`${action} sent during the last batch ends the campaign ${phase}, never Completed`, async () => {
      const handle = await start(3, { rollbackWindowSeconds: 0 });
      const lastBatch = fakes.holdBatch(handle.workflowId, 2);
      await lastBatch.entered;
      await signal(handle, action);
      await recorded(handle, action);
      lastBatch.release();

      const result = (await handle.result()) as CampaignStatus;
      assert.equal(result.phase, phase, result.phaseReason);
      if (action === 'rollback') {
        assert.equal(
          result.counts.rolledBack,
          3,
          'every upgraded pod is rolled back',
        );
        assert.equal(result.counts.upgraded, 0);
      } else {
        assert.equal(
          result.counts.upgraded,
          3,
          'an abort leaves the upgraded pods as they are',
        );
        assert.equal(result.leftChanged, 3);
      }
    });
  }

  test('a rollback sent while the holds are released after the last batch still rolls back', async () => {
    const handle = await start(2, { rollbackWindowSeconds: 0 });
    const release = fakes.holdRelease(handle.workflowId);
    await release.entered;
    await signal(handle, 'rollback');
    await recorded(handle, 'rollback');
    release.release();
    const result = (await handle.result()) as CampaignStatus;
    assert.equal(result.phase, 'RolledBack', result.phaseReason);
  });

  test('controls are applied in the order they arrive; one that no longer applies is recorded as ignored', async () => {
    const handle = await start(3, { bakeSeconds: 3600 });
    await waitFor(
      async () => (await status(handle)).batches.some(b => b.finishedAt),
      { what: 'the first batch to finish', timeoutMs: 20_000 },
    );
    for (const action of [
      'pause',
      'pause',
      'abort',
      'rollback',
      'resume',
    ] as const)
      await signal(handle, action);

    const result = (await handle.result()) as CampaignStatus;
    assert.equal(result.phase, 'Aborted');
    const controls = result.events
      .filter(e =>
        ['pause', 'abort', 'rollback', 'resume', 'ignored'].includes(e.type),
      )
      .map(e => `${e.type}: ${e.message}`);
    assert.deepEqual(controls, [
      'pause: pause requested: test',
      'ignored: pause ignored: the campaign is already paused',
      'abort: abort requested: test',
      'ignored: rollback ignored: the campaign is already being aborted',
      'ignored: resume ignored: the campaign is already being aborted',
    ]);
    assert.equal(
      fakes.patchedBatches(handle.workflowId),
      1,
      'no batch is patched after the pause',
    );
    assert.equal(
      result.counts.notStarted,
      2,
      'pods never started are reported as not started, not pending',
    );
    assert.equal(result.counts.pending, 0);
  });

  test('the workflow records its phase and counts in its memo, readable with no worker', async () => {
    const handle = await start(2, { bakeSeconds: 3600 });
    await waitFor(
      async () => (await status(handle)).batches.some(b => b.finishedAt),
      { what: 'the first batch to finish', timeoutMs: 20_000 },
    );
    await signal(handle, 'pause');
    const memoStatus = await waitFor(
      async () => {
        const { memo } = await handle.describe();
        const recordedStatus = memo?.status as CampaignStatus | undefined;
        return recordedStatus?.phase === 'Paused' && recordedStatus;
      },
      { what: 'the memo to record the pause', timeoutMs: 20_000 },
    );
    assert.deepEqual(memoStatus.counts, {
      total: 2,
      upgraded: 1,
      failed: 0,
      rolledBack: 0,
      skipped: 0,
      pending: 1,
      notStarted: 0,
    });
    assert.equal(memoStatus.totalBatches, 2);
    assert.ok(
      memoStatus.events.some(
        e => e.type === 'pause' && e.by === 'user:default/pat',
      ),
    );
    await signal(handle, 'abort');
    assert.equal(((await handle.result()) as CampaignStatus).phase, 'Aborted');
  });
});
