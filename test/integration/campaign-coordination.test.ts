import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CAMPAIGN_ANNOTATIONS } from '@internal/plugin-sidecars-common';
import { listPods, testCluster } from '../support/cluster';
import { awaitPhase, awaitStatus, suiteHarness } from '../support/campaigns';
import { injectedFleet, sidecarImage } from '../support/fleet';

const cluster = testCluster();
const OLD = 'registry.example.com/proxy:1.0.0';
const NEW = 'registry.example.com/proxy:1.1.0';

describe('campaigns sharing a fleet and a schedule', () => {
  const harness = suiteHarness('coordination');

  it('skips pods another active campaign holds, naming the holder', async () => {
    const fleet = await injectedFleet(cluster, 'overlap', 4, {
      name: 'proxy',
      image: OLD,
    });
    const selector = {
      namespaces: [fleet.namespace],
      labelSelector: fleet.selector,
    };
    const first = await harness().start({
      container: 'proxy',
      targetImage: NEW,
      selector,
      strategy: { maxUnavailable: 1, bakeSeconds: 600 },
    });
    await awaitStatus(
      first,
      'the first campaign to hold its pods',
      s => s.counts.upgraded === 1,
    );

    const second = await harness().start({
      container: 'proxy',
      targetImage: 'registry.example.com/proxy:1.2.0',
      selector,
      strategy: { maxUnavailable: 1 },
    });
    const status = await awaitPhase(second, 'Completed');
    assert.equal(status.counts.total, 4);
    assert.equal(status.counts.skipped, 4);
    assert.equal(status.counts.upgraded, 0);
    const claim = status.events.find(e => e.type === 'claimed');
    assert.match(
      claim?.message ?? '',
      new RegExp(`held by campaign ${first.workflowId}`),
    );
    const pods = await listPods(cluster, fleet.namespace, fleet.selector);
    assert.ok(
      pods.every(
        p => sidecarImage(p, 'proxy') !== 'registry.example.com/proxy:1.2.0',
      ),
      'the second campaign touched nothing',
    );
    await first.signal('abort', { by: 'test' });
    await awaitPhase(first, 'Aborted');
  });

  it('starts no batch outside its maintenance window', async () => {
    const fleet = await injectedFleet(cluster, 'window', 4, {
      name: 'proxy',
      image: OLD,
    });
    // The window opens at the next whole minute at least 20 s away and lasts 5 minutes.
    const opensAt = new Date(
      Math.ceil((Date.now() + 20_000) / 60_000) * 60_000,
    );
    const handle = await harness().start({
      container: 'proxy',
      targetImage: NEW,
      selector: {
        namespaces: [fleet.namespace],
        labelSelector: fleet.selector,
      },
      strategy: { maxUnavailable: 2 },
      schedule: {
        windows: [
          {
            cron: `${opensAt.getUTCMinutes()} ${opensAt.getUTCHours()} * * *`,
            durationMinutes: 5,
            timeZone: 'UTC',
          },
        ],
      },
    });
    const waiting = await awaitStatus(
      handle,
      'the campaign to wait for its window',
      s => s.phase === 'Scheduled' && s.counts.total > 0,
    );
    assert.match(
      waiting.phaseReason ?? '',
      new RegExp(`next window opens at ${opensAt.toISOString()}`),
    );
    assert.equal(waiting.batches.length, 0);
    const done = await awaitPhase(handle, 'Completed', 150_000);
    assert.equal(done.counts.upgraded, 4);
    for (const pod of await listPods(
      cluster,
      fleet.namespace,
      fleet.selector,
    )) {
      const patchedAt = Date.parse(
        pod.metadata?.annotations?.[CAMPAIGN_ANNOTATIONS.patchedAt] ?? '',
      );
      assert.ok(
        patchedAt >= opensAt.getTime(),
        `${pod.metadata?.name} was patched at ${new Date(patchedAt).toISOString()}, inside the window`,
      );
      assert.equal(sidecarImage(pod, 'proxy'), NEW);
    }
  });
});
