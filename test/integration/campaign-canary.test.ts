import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  awaitReadyPods,
  createTestNamespace,
  testCluster,
} from '../support/cluster';
import { awaitPhase, awaitStatus, suiteHarness } from '../support/campaigns';
import { injectedFleet } from '../support/fleet';

const cluster = testCluster();
const OLD = 'registry.example.com/proxy:1.0.0';
const NEW = 'registry.example.com/proxy:1.1.0';

describe('a canary batch, as the plan decided it', () => {
  const harness = suiteHarness('canary');

  it('in place: upgrades the canary alone, pauses for a resume, then the rest', async () => {
    const fleet = await injectedFleet(cluster, 'canary', 5, {
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
      strategy: { maxUnavailable: 2, canary: { size: 1, then: 'pause' } },
    });
    const paused = await awaitStatus(
      handle,
      'the pause after the canary',
      s => s.phase === 'Paused',
    );
    assert.equal(paused.counts.upgraded, 1);
    assert.equal(paused.totalBatches, 3);
    assert.match(paused.pausedReason ?? '', /canary batch finished/);
    await handle.signal('resume', { by: 'user:default/bob' });
    const done = await awaitPhase(handle, 'Completed');
    assert.equal(done.counts.upgraded, 5);
  });

  it('workload: the canary batch takes one Deployment, then the campaign pauses', async () => {
    const namespace = await createTestNamespace(cluster, 'canary-wl');
    for (const name of ['one', 'two', 'three']) {
      await cluster.apps.createNamespacedDeployment({
        namespace,
        body: {
          metadata: { name, namespace },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: name } },
            strategy: {
              type: 'RollingUpdate',
              rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
            },
            template: {
              metadata: { labels: { app: name, tier: 'canary' } },
              spec: {
                containers: [
                  { name: 'app', image: 'registry.example.com/app:1.0.0' },
                  { name: 'proxy', image: OLD },
                ],
              },
            },
          },
        },
      });
      await awaitReadyPods(cluster, namespace, `app=${name}`, 2);
    }
    const handle = await harness().start({
      container: 'proxy',
      targetImage: NEW,
      mode: 'workload',
      selector: { namespaces: [namespace], labelSelector: 'tier=canary' },
      strategy: { maxUnavailable: 2, canary: { size: 1, then: 'pause' } },
    });
    const paused = await awaitStatus(
      handle,
      'the pause after the canary',
      s => s.phase === 'Paused',
    );
    assert.equal(
      paused.counts.upgraded,
      1,
      'one Deployment in the canary batch',
    );
    assert.equal(
      paused.totalBatches,
      2,
      'then the other two together: their rollouts take 1 pod down each, the budget is 2',
    );
    await handle.signal('resume', { by: 'user:default/bob' });
    assert.equal((await awaitPhase(handle, 'Completed')).counts.upgraded, 3);
  });
});
