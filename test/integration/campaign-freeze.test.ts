import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CAMPAIGN_ANNOTATIONS,
  type FreezeWindow,
} from '@internal/plugin-sidecars-common';
import { freezesSignal } from '@internal/sidecar-workflows';
import { listPods, testCluster } from '../support/cluster';
import { awaitPhase, awaitStatus, suiteHarness } from '../support/campaigns';
import { injectedFleet, sidecarImage } from '../support/fleet';

const cluster = testCluster();
const OLD = 'registry.example.com/proxy:1.0.0';
const NEW = 'registry.example.com/proxy:1.1.0';

describe('freeze windows on the real stack', () => {
  const harness = suiteHarness('freeze');

  it('a freeze in effect holds the next batch and releases it when the freeze ends', async () => {
    const fleet = await injectedFleet(cluster, 'freeze', 4, {
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
      // Two batches; the bake after the first leaves time to freeze before the second.
      strategy: { maxUnavailable: 2, bakeSeconds: 5 },
    });
    await awaitStatus(
      handle,
      'the first batch to finish',
      s => s.counts.upgraded === 2,
    );

    // The backend sends the freezes of the campaign's scope; here, one from now for 10 s.
    const frozenAt = Date.now();
    const freeze: FreezeWindow = {
      name: 'release-night',
      start: new Date(frozenAt - 1_000).toISOString(),
      end: new Date(frozenAt + 10_000).toISOString(),
      namespaces: [fleet.namespace],
    };
    await handle.signal(freezesSignal, [freeze]);
    const held = await awaitStatus(
      handle,
      'the campaign to be frozen',
      s => s.frozen !== undefined,
    );
    assert.equal(held.phase, 'Scheduled');
    assert.equal(
      held.phaseReason,
      `frozen until ${new Date(freeze.end).toISOString()} (release-night)`,
    );
    assert.equal(held.batches.length, 1, 'the second batch has not started');
    assert.equal(held.counts.upgraded, 2);

    const done = await awaitPhase(handle, 'Completed', 120_000);
    assert.equal(done.counts.upgraded, 4);
    assert.equal(done.frozen, undefined);
    const patchedAt = (await listPods(cluster, fleet.namespace, fleet.selector))
      .map(pod => {
        assert.equal(sidecarImage(pod, 'proxy'), NEW);
        return Date.parse(
          pod.metadata?.annotations?.[CAMPAIGN_ANNOTATIONS.patchedAt] ?? '',
        );
      })
      .sort((a, b) => a - b);
    const end = Date.parse(freeze.end);
    const when = (at: number) => {
      if (at < frozenAt) return 'before';
      return at >= end ? 'after' : 'during';
    };
    assert.deepEqual(
      patchedAt.map(when),
      ['before', 'before', 'after', 'after'],
      `pods patched at ${patchedAt.map(at => new Date(at).toISOString()).join(', ')}; the freeze ran ${freeze.start} to ${freeze.end}`,
    );
  });
});
