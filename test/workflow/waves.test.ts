import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import {
  laneWorkflowId,
  type CampaignStatus,
} from '@internal/plugin-sidecars-common';
import {
  approveSignal,
  resumeSignal,
  rollbackSignal,
  statusQuery,
} from '@internal/sidecar-workflows';
import { waitFor } from '@internal/dev-stack/stack/wait';
import { FakeCampaignActivities } from './fake-activities';
import { fakeWorkerSuite } from './fake-worker';

/** Two waves: "staging" in one cluster, then "prod" in two, behind an approval. */
const TWO_WAVES = {
  waves: [
    { name: 'staging', clusters: ['staging-1'] },
    {
      name: 'prod',
      clusters: ['prod-eu', 'prod-us'],
      gate: { approval: true },
    },
  ],
};

/**
 * Waves against the real Temporal dev server with fake activities (two batches per lane): each
 * wave runs one child workflow per cluster, a gate waits between waves, a failure past the budget
 * stops the later waves, and a rollback undoes the waves last first.
 */
describe('campaign waves', () => {
  const fakes = new FakeCampaignActivities(2);
  const start = fakeWorkerSuite('waves', fakes);
  const status = (handle: WorkflowHandle): Promise<CampaignStatus> =>
    handle.query(statusQuery);
  const lane = (handle: WorkflowHandle, wave: number, cluster: string) =>
    laneWorkflowId(handle.workflowId, wave, cluster);
  const until = (
    handle: WorkflowHandle,
    what: string,
    holds: (s: CampaignStatus) => boolean,
  ) =>
    waitFor(
      async () => {
        const s = await status(handle);
        return holds(s) ? s : undefined;
      },
      { what, timeoutMs: 30_000 },
    );

  test('wave 2 waits for approval, then runs its clusters; the campaign completes and its lanes end', async () => {
    const handle = await start(0, { rollbackWindowSeconds: 0 }, TWO_WAVES);
    const gated = await until(
      handle,
      'wave prod to wait for approval',
      s => s.waves?.[1]?.gate?.state === 'awaiting-approval',
    );
    assert.equal(gated.phase, 'Paused');
    assert.deepEqual(gated.pauseCauses, ['gate']);
    assert.match(gated.pausedReason ?? '', /wave "prod" waits for approval/);
    assert.equal(gated.waves?.[0]?.state, 'completed');
    assert.equal(gated.waves?.[0]?.lanes[0]?.phase, 'Completed');
    assert.equal(gated.counts.upgraded, 2, 'staging upgraded both its pods');
    assert.equal(
      fakes.patchedBatches(lane(handle, 1, 'prod-eu')),
      0,
      'no prod lane patched before the approval',
    );

    await handle.signal(resumeSignal, { by: 'user:default/alice' });
    const afterResume = await until(handle, 'the resume to be refused', s =>
      s.events.some(e => e.type === 'ignored'),
    );
    assert.match(
      afterResume.events.find(e => e.type === 'ignored')!.message,
      /waits for approval: approve it instead/,
    );

    await handle.signal(approveSignal, { by: 'user:default/alice' });
    const result = (await handle.result()) as CampaignStatus;
    assert.equal(result.phase, 'Completed', result.phaseReason);
    assert.equal(result.counts.upgraded, 6);
    assert.equal(result.waves?.[1]?.gate?.approvedBy, 'user:default/alice');
    assert.deepEqual(
      result.waves?.map(w => w.state),
      ['completed', 'completed'],
    );
    for (const cluster of ['prod-eu', 'prod-us'])
      assert.equal(fakes.upgradedPods(lane(handle, 1, cluster)), 2);
  });

  test('a lane failing past its budget rolls itself back, stops the later waves, and the other lanes are rolled back', async () => {
    const workflowId = `waves-failing-${randomBytes(4).toString('hex')}`;
    const failing = laneWorkflowId(workflowId, 0, 'b');
    fakes.plan(failing, 2);
    fakes.failBatch(failing, 1, 'istio-proxy not Ready');
    const handle = await start(
      0,
      {},
      {
        waves: [
          { name: 'first', clusters: ['a', 'b'] },
          { name: 'second', clusters: ['c'] },
        ],
      },
      { workflowId },
    );
    const result = (await handle.result()) as CampaignStatus;
    assert.equal(result.phase, 'RolledBack', result.phaseReason);
    assert.match(
      result.phaseReason ?? '',
      /wave "first" stopped in b: lane RolledBack.*later waves not started/,
    );
    assert.equal(result.waves?.[1]?.state, 'pending');
    assert.equal(result.waves?.[1]?.lanes[0]?.phase, undefined);
    assert.equal(fakes.upgradedPods(lane(handle, 0, 'a')), 0);
    assert.equal(fakes.upgradedPods(lane(handle, 0, 'b')), 0);
  });

  test("with onFailure pause, a failing lane shows the campaign paused with the lane's reason, and the campaign's resume resumes it", async () => {
    const workflowId = `waves-pause-${randomBytes(4).toString('hex')}`;
    const failing = laneWorkflowId(workflowId, 0, 'a');
    fakes.plan(failing, 3);
    fakes.failBatch(failing, 1, 'istio-proxy not Ready');
    const handle = await start(
      0,
      { onFailure: 'pause', rollbackWindowSeconds: 0 },
      { waves: [{ name: 'only', clusters: ['a'] }] },
      { workflowId },
    );
    const paused = await until(
      handle,
      'the campaign to show the lane paused',
      s => s.phase === 'Paused',
    );
    assert.match(
      paused.pausedReason ?? '',
      /^lane a paused: failure budget exceeded/,
    );
    await handle.signal(resumeSignal, { by: 'user:default/alice' });
    const result = (await handle.result()) as CampaignStatus;
    assert.equal(result.phase, 'Completed', result.phaseReason);
    assert.equal(result.counts.upgraded, 2);
    assert.equal(result.counts.failed, 1);
  });

  test("a freeze of wave 2's cluster holds only wave 2's lane, until it ends", async () => {
    const freezeEnd = new Date(Date.now() + 5_000).toISOString();
    const handle = await start(
      0,
      { rollbackWindowSeconds: 0 },
      {
        waves: [
          { name: 'staging', clusters: ['staging-1'] },
          { name: 'prod', clusters: ['prod-eu'] },
        ],
      },
      {
        freezes: [
          {
            name: 'prod-freeze',
            start: new Date(Date.now() - 1_000).toISOString(),
            end: freezeEnd,
            clusters: ['prod-eu'],
          },
        ],
      },
    );
    const result = (await handle.result()) as CampaignStatus;
    assert.equal(result.phase, 'Completed', result.phaseReason);
    const laneResult = (id: string) =>
      handle.client.getHandle(id).result() as Promise<CampaignStatus>;
    const staging = await laneResult(lane(handle, 0, 'staging-1'));
    const prod = await laneResult(lane(handle, 1, 'prod-eu'));
    assert.ok(
      staging.batches.every(
        b => Date.parse(b.startedAt) < Date.parse(freezeEnd),
      ),
      'staging is not frozen',
    );
    assert.ok(
      prod.batches.every(b => Date.parse(b.startedAt) >= Date.parse(freezeEnd)),
      `prod's batches start after the freeze: ${prod.batches.map(b => b.startedAt).join(', ')}`,
    );
    assert.ok(
      prod.events.some(e => e.message.includes('frozen until')),
      'prod showed the freeze',
    );
  });

  test('a rollback after completion undoes the last wave first', async () => {
    const handle = await start(
      0,
      { rollbackWindowSeconds: 600 },
      {
        waves: [
          { name: 'one', clusters: ['x'] },
          { name: 'two', clusters: ['y'], gate: { bakeSeconds: 1 } },
        ],
      },
    );
    await until(
      handle,
      'the campaign to complete',
      s => s.phase === 'Completed',
    );
    await handle.signal(rollbackSignal, {
      by: 'user:default/alice',
      reason: 'bad release',
    });
    const result = (await handle.result()) as CampaignStatus;
    assert.equal(result.phase, 'RolledBack', result.phaseReason);
    const order = result.events
      .filter(e => e.type === 'wave' && e.message.includes('rolled back'))
      .map(e => e.message);
    assert.deepEqual(order, [
      'wave "two" rolled back in y',
      'wave "one" rolled back in x',
    ]);
    assert.equal(fakes.upgradedPods(lane(handle, 1, 'y')), 0);
    assert.equal(fakes.upgradedPods(lane(handle, 0, 'x')), 0);
  });
});
