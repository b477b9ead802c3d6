import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CAMPAIGN_ANNOTATIONS,
  CAMPAIGN_LABELS,
  parseCampaignSpec,
} from '@internal/plugin-sidecars-common';
import { listPods, testCluster } from '../support/cluster';
import { awaitPhase, suiteHarness } from '../support/campaigns';
import {
  injectedFleet,
  sameFleetIn,
  sidecarImage,
  sidecarRestarts,
} from '../support/fleet';
import { localPlanner } from '../support/plan-preview';

// The stack runs a second cluster, kwok-2, and the worker knows both (SIDECAR_CLUSTERS_FILE): a
// campaign's selector.clusters decides where it acts, even where the other cluster has a namespace
// of the same name with the same pods.

const local = testCluster();
const kwok2 = testCluster('kwok-2');
const OLD = 'registry.example.com/proxy:1.0.0';
const NEW = 'registry.example.com/proxy:1.1.0';
const REPLICAS = 3;

describe('a campaign over the second cluster', () => {
  const harness = suiteHarness('second-cluster');

  it('upgrades the pods in kwok-2 only, leaving those of the same namespace and labels in local alone', async () => {
    const fleet = await injectedFleet(kwok2, 'second-cluster', REPLICAS, {
      name: 'proxy',
      image: OLD,
    });
    await sameFleetIn(local, fleet, { name: 'proxy', image: OLD }, REPLICAS);
    const spec = {
      container: 'proxy',
      targetImage: NEW,
      selector: {
        clusters: ['kwok-2'],
        namespaces: [fleet.namespace],
        labelSelector: fleet.selector,
      },
      strategy: { maxUnavailable: 1 },
    };

    const parsed = parseCampaignSpec(spec);
    assert.ok(parsed.ok);
    const { plan } = await localPlanner(
      async () => false,
      ['local', 'kwok-2'],
    ).plan(parsed.spec);
    const planned = plan.batches.flatMap(b => b.pods);
    assert.equal(planned.length, REPLICAS, 'the preview plans kwok-2 pods');
    assert.ok(
      planned.every(pod => pod.startsWith(`kwok-2/${fleet.namespace}/`)),
      planned.join(', '),
    );

    const status = await awaitPhase(await harness().start(spec), 'Completed');
    assert.equal(status.counts.upgraded, REPLICAS);

    for (const pod of await listPods(kwok2, fleet.namespace, fleet.selector)) {
      assert.equal(sidecarImage(pod, 'proxy'), NEW);
      assert.equal(sidecarRestarts(pod, 'proxy'), 1);
    }
    const untouched = await listPods(local, fleet.namespace, fleet.selector);
    assert.equal(untouched.length, REPLICAS);
    for (const pod of untouched) {
      assert.equal(sidecarImage(pod, 'proxy'), OLD);
      assert.equal(sidecarRestarts(pod, 'proxy'), 0);
      assert.equal(pod.metadata?.labels?.[CAMPAIGN_LABELS.campaign], undefined);
      assert.equal(
        pod.metadata?.annotations?.[CAMPAIGN_ANNOTATIONS.patchedAt],
        undefined,
      );
    }
  });
});
