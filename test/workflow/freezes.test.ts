import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import type {
  CampaignStatus,
  FreezeWindow,
} from '@internal/plugin-sidecars-common';
import { freezesSignal, statusQuery } from '@internal/sidecar-workflows';
import { waitFor } from '@internal/dev-stack/stack/wait';
import { FakeCampaignActivities } from './fake-activities';
import { fakeWorkerSuite } from './fake-worker';

/** A freeze of the whole fleet from a second ago for `seconds` more. */
function freezeFor(name: string, seconds: number): FreezeWindow {
  const now = Date.now();
  return {
    name,
    start: new Date(now - 1_000).toISOString(),
    end: new Date(now + seconds * 1_000).toISOString(),
  };
}

/**
 * Freeze windows against the real Temporal dev server with fake activities: while a freeze the
 * campaign was given (at its start, or later by the backend's freezes signal) is on, no batch
 * starts; the campaign shows the freeze and goes on by itself when it ends.
 */
describe('freeze windows', () => {
  const fakes = new FakeCampaignActivities();
  const start = fakeWorkerSuite('freezes', fakes);

  const status = (handle: WorkflowHandle): Promise<CampaignStatus> =>
    handle.query(statusQuery);
  const frozen = (handle: WorkflowHandle) =>
    waitFor(
      async () => {
        const s = await status(handle);
        return s.frozen ? s : undefined;
      },
      { what: 'the campaign to be frozen', timeoutMs: 20_000 },
    );

  test('a freeze that begins during a batch holds the next batch and releases it when it ends', async () => {
    const handle = await start(3, { rollbackWindowSeconds: 0 });
    const firstBatch = fakes.holdBatch(handle.workflowId, 0);
    await firstBatch.entered;
    const freeze = freezeFor('release-night', 4);
    await handle.signal(freezesSignal, [freeze]);
    firstBatch.release();

    const held = await frozen(handle);
    assert.equal(held.phase, 'Scheduled');
    assert.deepEqual(held.frozen, {
      name: 'release-night',
      until: new Date(freeze.end).toISOString(),
    });
    assert.equal(
      held.phaseReason,
      `frozen until ${new Date(freeze.end).toISOString()} (release-night)`,
    );
    assert.equal(
      fakes.patchedBatches(handle.workflowId),
      1,
      'no batch starts during the freeze',
    );

    const result = (await handle.result()) as CampaignStatus;
    assert.equal(result.phase, 'Completed', result.phaseReason);
    assert.equal(result.frozen, undefined);
    assert.equal(fakes.patchedBatches(handle.workflowId), 3);
    const second = result.batches.find(b => b.index === 1);
    assert.ok(second, 'batch 2 ran');
    assert.ok(
      Date.parse(second.startedAt) >= Date.parse(freeze.end),
      `batch 2 started at ${second.startedAt}, not before the freeze ended at ${freeze.end}`,
    );
    assert.ok(
      result.events.some(
        e => e.message === 'Running: freeze "release-night" is over',
      ),
      'the campaign records that the freeze is over',
    );
  });

  test('a campaign started during a freeze given in its input waits for its end before any batch', async () => {
    const freeze = freezeFor('audit', 3);
    const handle = await start(
      2,
      { rollbackWindowSeconds: 0 },
      {},
      { freezes: [freeze] },
    );
    const held = await frozen(handle);
    assert.equal(held.frozen?.name, 'audit');
    assert.equal(fakes.patchedBatches(handle.workflowId), 0);

    const result = (await handle.result()) as CampaignStatus;
    assert.equal(result.phase, 'Completed', result.phaseReason);
    const [first] = result.batches;
    assert.ok(first, 'batch 1 ran');
    assert.ok(
      Date.parse(first.startedAt) >= Date.parse(freeze.end),
      'the first batch waits for the end of the freeze',
    );
  });

  test('a freeze lifted by the freezes signal releases the campaign at once', async () => {
    const handle = await start(
      1,
      { rollbackWindowSeconds: 0 },
      {},
      { freezes: [freezeFor('long-weekend', 3_600)] },
    );
    await frozen(handle);
    await handle.signal(freezesSignal, []);

    const result = (await handle.result()) as CampaignStatus;
    assert.equal(result.phase, 'Completed', result.phaseReason);
    assert.equal(fakes.patchedBatches(handle.workflowId), 1);
  });

  test('an abort during a freeze ends the campaign without a batch', async () => {
    const handle = await start(
      2,
      { rollbackWindowSeconds: 0 },
      {},
      { freezes: [freezeFor('long-weekend', 3_600)] },
    );
    await frozen(handle);
    await handle.signal('abort', { by: 'user:default/pat', reason: 'test' });

    const result = (await handle.result()) as CampaignStatus;
    assert.equal(result.phase, 'Aborted', result.phaseReason);
    assert.equal(result.frozen, undefined);
    assert.equal(fakes.patchedBatches(handle.workflowId), 0);
  });
});
