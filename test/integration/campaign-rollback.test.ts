import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CAMPAIGN_LABELS } from '@internal/plugin-sidecars-common';
import { isPodReady, listPods, testCluster } from '../support/cluster';
import { awaitPhase, awaitStatus, suiteHarness } from '../support/campaigns';
import { injectedFleet, sidecarImage } from '../support/fleet';

const cluster = testCluster();
const OLD = 'registry.example.com/proxy:1.0.0';
const NEW = 'registry.example.com/proxy:1.1.0';

describe('rolling back and aborting campaigns', () => {
  const harness = suiteHarness('rollback');

  it('rolls back automatically when a -crashloop image exhausts the failure budget', async () => {
    const fleet = await injectedFleet(cluster, 'crashloop', 8, {
      name: 'proxy',
      image: OLD,
    });
    const handle = await harness().start({
      container: 'proxy',
      targetImage: 'registry.example.com/proxy:1.1.0-crashloop',
      selector: {
        namespaces: [fleet.namespace],
        labelSelector: fleet.selector,
      },
      strategy: {
        maxUnavailable: 2,
        failureBudget: 1,
        healthTimeoutSeconds: 60,
      },
    });
    const status = await awaitPhase(handle, 'RolledBack');
    assert.match(
      status.phaseReason ?? '',
      /failure budget exceeded: 2 failed, budget 1/,
    );
    assert.ok(status.failures.length >= 2);
    for (const failure of status.failures)
      assert.match(
        failure.reason,
        /(restarted \d+ times|is CrashLoopBackOff) on registry\.example\.com\/proxy:1\.1\.0-crashloop/,
      );
    assert.equal(status.counts.upgraded, 0);
    for (const pod of await listPods(
      cluster,
      fleet.namespace,
      fleet.selector,
    )) {
      assert.equal(
        sidecarImage(pod, 'proxy'),
        OLD,
        `${pod.metadata?.name} is back on its old image`,
      );
      assert.ok(isPodReady(pod), `${pod.metadata?.name} is Ready`);
      assert.equal(pod.metadata?.labels?.[CAMPAIGN_LABELS.hold], undefined);
    }
  });

  it('rolls back a completed campaign on request, recording who asked', async () => {
    const fleet = await injectedFleet(cluster, 'manual', 6, {
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
    await awaitPhase(handle, 'Completed');
    await handle.signal('rollback', {
      reason: 'p99 latency regression',
      by: 'user:default/bob',
    });
    const status = await awaitPhase(handle, 'RolledBack');
    assert.equal(status.counts.rolledBack, 6);
    assert.equal(status.counts.upgraded, 0);
    assert.ok(
      status.events.some(
        e =>
          e.type === 'rollback' &&
          e.by === 'user:default/bob' &&
          e.message.includes('p99 latency regression'),
      ),
    );
    assert.ok(
      status.batches
        .filter(b => b.direction === 'rollback')
        .every(b => b.rolledBack <= 2),
    );
    for (const pod of await listPods(
      cluster,
      fleet.namespace,
      fleet.selector,
    )) {
      assert.equal(sidecarImage(pod, 'proxy'), OLD);
      assert.equal(
        pod.metadata?.labels?.[CAMPAIGN_LABELS.state],
        'rolled-back',
      );
      assert.ok(isPodReady(pod));
    }
  });

  it('aborts mid-campaign without rolling back and says which pods were left changed', async () => {
    const fleet = await injectedFleet(cluster, 'abort', 10, {
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
      strategy: { maxUnavailable: 2, bakeSeconds: 600 },
    });
    await awaitStatus(
      handle,
      'the first batch to finish',
      s => s.counts.upgraded === 2,
    );
    await handle.signal('abort', {
      reason: 'change freeze',
      by: 'user:default/carol',
    });
    const status = await awaitPhase(handle, 'Aborted');
    assert.equal(status.leftChanged, 2);
    assert.match(
      status.phaseReason ?? '',
      /2 pod\(s\) left on registry\.example\.com\/proxy:1\.1\.0/,
    );
    const pods = await listPods(cluster, fleet.namespace, fleet.selector);
    assert.equal(pods.filter(p => sidecarImage(p, 'proxy') === NEW).length, 2);
    assert.equal(pods.filter(p => sidecarImage(p, 'proxy') === OLD).length, 8);
    assert.ok(
      pods.every(p => p.metadata?.labels?.[CAMPAIGN_LABELS.hold] === undefined),
      'every hold released',
    );
    const changed = await listPods(
      cluster,
      fleet.namespace,
      `${CAMPAIGN_LABELS.campaign}=${handle.workflowId},${CAMPAIGN_LABELS.state}=upgraded`,
    );
    assert.equal(
      changed.length,
      2,
      'the label selector in the reason lists the changed pods',
    );
  });
});
