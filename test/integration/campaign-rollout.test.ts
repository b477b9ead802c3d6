import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CAMPAIGN_LABELS } from '@internal/plugin-sidecars-common';
import { awaitReadyPods, listPods, testCluster } from '../support/cluster';
import {
  awaitPhase,
  awaitStatus,
  statusOf,
  suiteHarness,
} from '../support/campaigns';
import { injectedFleet, sidecarImage, sidecarRestarts } from '../support/fleet';
import { rollThirtyPods } from '../support/rollout-assertions';

const cluster = testCluster();
const OLD = 'registry.example.com/proxy:1.0.0';
const NEW = 'registry.example.com/proxy:1.1.0';

describe('a campaign rolling an injected sidecar in place', () => {
  const harness = suiteHarness('rollout');

  it('upgrades 30 pods with never more than maxUnavailable 3 unavailable, and reports counts that match the cluster', async () => {
    await rollThirtyPods(cluster, harness(), 'rollout', { from: OLD, to: NEW });
  });

  it('stops patching once a pause is acknowledged, and finishes after resume', async () => {
    const fleet = await injectedFleet(cluster, 'pause', 12, {
      name: 'proxy',
      image: OLD,
    });
    const handle = await harness().start({
      container: 'proxy',
      targetImage: NEW,
      selector: {
        namespaces: [fleet.namespace],
        labelSelector: fleet.selector,
      },
      strategy: { maxUnavailable: 2 },
    });
    await awaitStatus(
      handle,
      'the first batch to start',
      s => s.batches.length > 0,
    );
    await handle.signal('pause', {
      reason: 'investigating latency',
      by: 'user:default/alice',
    });
    const paused = await awaitStatus(
      handle,
      'the pause to be acknowledged with no batch in flight',
      s => s.phase === 'Paused' && s.currentBatch === null,
    );
    const acknowledgedAt = Date.now();
    assert.equal(paused.pausedReason, 'paused: investigating latency');
    assert.ok(
      paused.events.some(
        e => e.type === 'pause' && e.by === 'user:default/alice',
      ),
    );

    const patchedWhilePaused = (
      await listPods(cluster, fleet.namespace, fleet.selector)
    ).filter(
      pod =>
        Date.parse(
          pod.metadata?.annotations?.['sidecar-campaigns.io/patched-at'] ?? '0',
        ) > acknowledgedAt,
    );
    assert.deepEqual(
      patchedWhilePaused.map(p => p.metadata?.name),
      [],
    );
    const upgradedWhilePaused = paused.counts.upgraded;
    assert.ok(upgradedWhilePaused < 12, 'paused before the end');
    const description = await handle.describe();
    assert.equal(
      description.raw.pendingActivities?.length ?? 0,
      0,
      'no activity scheduled while paused: nothing can patch a pod',
    );
    assert.equal((await statusOf(handle)).counts.upgraded, upgradedWhilePaused);

    await handle.signal('resume', { by: 'user:default/alice' });
    const done = await awaitPhase(handle, 'Completed');
    assert.equal(done.counts.upgraded, 12);
    for (const pod of await listPods(
      cluster,
      fleet.namespace,
      fleet.selector,
    )) {
      assert.equal(sidecarImage(pod, 'proxy'), NEW);
      assert.equal(sidecarRestarts(pod, 'proxy'), 1);
    }
  });
});

describe('a campaign whose pods change under it', () => {
  const harness = suiteHarness('churn');

  it('skips a pod deleted before its batch and carries on with the fleet', async () => {
    const fleet = await injectedFleet(cluster, 'churn', 4, {
      name: 'proxy',
      image: OLD,
    });
    const handle = await harness().start({
      container: 'proxy',
      targetImage: NEW,
      selector: {
        namespaces: [fleet.namespace],
        labelSelector: fleet.selector,
      },
      strategy: { maxUnavailable: 1, bakeSeconds: 2 },
    });
    await awaitStatus(
      handle,
      'the first batch to finish',
      s => s.counts.upgraded >= 1,
    );
    const [doomed] = await listPods(
      cluster,
      fleet.namespace,
      `${CAMPAIGN_LABELS.batch}=3,${CAMPAIGN_LABELS.state}=pending`,
    );
    assert.ok(doomed, 'the last batch is still pending');
    await cluster.core.deleteNamespacedPod({
      name: doomed.metadata!.name!,
      namespace: fleet.namespace,
      gracePeriodSeconds: 0,
    });

    const status = await awaitPhase(handle, 'Completed');
    assert.equal(status.counts.upgraded, 3);
    assert.equal(status.counts.skipped, 1);
    assert.ok(
      status.events.some(
        e =>
          e.type === 'skipped' &&
          e.message.startsWith('1 held pod(s) were deleted or replaced'),
      ),
    );
    const pods = await awaitReadyPods(
      cluster,
      fleet.namespace,
      fleet.selector,
      4,
    );
    const replacement = pods.find(
      p => p.metadata?.labels?.[CAMPAIGN_LABELS.campaign] === undefined,
    );
    assert.ok(replacement, 'the ReplicaSet replaced the deleted pod');
    assert.equal(
      sidecarImage(replacement, 'proxy'),
      OLD,
      'the replacement was never selected, so never touched',
    );
  });
});

describe('a campaign longer than one workflow run', () => {
  const harness = suiteHarness('long');

  it('continues as new when Temporal suggests it and keeps its counts, batches and audit trail', async () => {
    const fleet = await injectedFleet(cluster, 'long', 20, {
      name: 'proxy',
      image: OLD,
    });
    const handle = await harness().start({
      container: 'proxy',
      targetImage: NEW,
      selector: {
        namespaces: [fleet.namespace],
        labelSelector: fleet.selector,
      },
      strategy: { maxUnavailable: 1 },
    });
    await awaitStatus(handle, 'a few batches', s => s.counts.upgraded >= 3);
    await handle.signal('pause', { by: 'user:default/alice' });
    await awaitStatus(
      handle,
      'the pause',
      s => s.phase === 'Paused' && s.currentBatch === null,
    );
    await handle.signal('resume', { by: 'user:default/alice' });
    const status = await awaitPhase(handle, 'Completed');
    assert.deepEqual(status.counts, {
      total: 20,
      upgraded: 20,
      failed: 0,
      rolledBack: 0,
      skipped: 0,
      pending: 0,
      notStarted: 0,
    });
    assert.equal(status.totalBatches, 20);
    assert.ok(
      status.events.some(
        e => e.type === 'pause' && e.by === 'user:default/alice',
      ),
      'the audit trail survives the new runs',
    );
    const runs = [];
    for await (const run of harness().client.workflow.list({
      query: `WorkflowId = '${handle.workflowId}'`,
    }))
      runs.push(run);
    assert.ok(
      runs.length >= 2,
      `the campaign continued as new (${runs.length} runs)`,
    );
    assert.ok(runs.some(r => r.status.name === 'CONTINUED_AS_NEW'));
    for (const pod of await listPods(cluster, fleet.namespace, fleet.selector))
      assert.equal(sidecarRestarts(pod, 'proxy'), 1);
  });
});
