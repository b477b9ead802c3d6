import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { CAMPAIGN_LABELS } from '@internal/plugin-sidecars-common';
import { waitFor } from '@internal/dev-stack/stack/wait';
import { listPods, testCluster } from '../support/cluster';
import { awaitPhase, suiteHarness } from '../support/campaigns';
import { injectedFleet, sidecarImage } from '../support/fleet';

// Under rolling pacing without a canary, a pod of the first window is claimed by the write that
// starts it. A pod another campaign takes between the plan and that write must be left to it.

const cluster = testCluster();
const OLD = 'registry.example.com/proxy:1.0.0';
const NEW = 'registry.example.com/proxy:1.1.0';
const PODS = 10;
const OTHER = 'other-campaign-holds-it';

describe('a pod taken by another campaign before its turn', () => {
  const harness = suiteHarness('jit-claim-race');

  it('is skipped, not patched, and keeps the other campaign’s hold; the rest are upgraded', async () => {
    const fleet = await injectedFleet(cluster, 'jit-race', PODS, {
      name: 'proxy',
      image: OLD,
    });
    // Pods start in name order: the last one's turn comes last.
    const last = fleet.pods
      .map(pod => pod.metadata!.name!)
      .sort()
      .at(-1)!;
    const handle = await harness().start({
      container: 'proxy',
      targetImage: NEW,
      selector: {
        namespaces: [fleet.namespace],
        labelSelector: fleet.selector,
      },
      strategy: { maxUnavailable: 1, pacing: 'rolling' },
    });
    await waitFor(
      async () =>
        (await listPods(cluster, fleet.namespace, fleet.selector)).some(
          pod => pod.metadata?.labels?.[CAMPAIGN_LABELS.campaign],
        ),
      { what: 'the first pod to be started', timeoutMs: 60_000 },
    );
    await cluster.core.patchNamespacedPod(
      {
        namespace: fleet.namespace,
        name: last,
        body: { metadata: { labels: { [CAMPAIGN_LABELS.hold]: OTHER } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );

    const status = await awaitPhase(handle, 'Completed');
    assert.equal(status.counts.upgraded, PODS - 1);
    assert.equal(status.counts.skipped, 1);
    assert.ok(
      status.events.some(e =>
        e.message.includes(`claimed by campaign ${OTHER} meanwhile`),
      ),
      JSON.stringify(status.events.map(e => e.message)),
    );
    for (const pod of await listPods(
      cluster,
      fleet.namespace,
      fleet.selector,
    )) {
      const name = pod.metadata!.name!;
      if (name === last) {
        assert.equal(sidecarImage(pod, 'proxy'), OLD, `${name} is not patched`);
        assert.equal(pod.metadata?.labels?.[CAMPAIGN_LABELS.hold], OTHER);
        assert.equal(
          pod.metadata?.labels?.[CAMPAIGN_LABELS.campaign],
          undefined,
        );
      } else assert.equal(sidecarImage(pod, 'proxy'), NEW, name);
    }
  });
});
