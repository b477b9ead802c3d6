import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import {
  CAMPAIGN_ANNOTATIONS,
  CAMPAIGN_LABELS,
  parseCampaignSpec,
} from '@internal/plugin-sidecars-common';
import type { CampaignRef, ClaimResult } from '@internal/sidecar-workflows';
import { createActivities } from '@internal/sidecar-workers';
import { listPods, testCluster } from '../support/cluster';
import { injectedFleet, sidecarImage } from '../support/fleet';

// A claim retried after the campaign changed some of its pods (a worker died mid-activity) must
// keep what the campaign did: the write that marks a pod upgraded also lets go of its hold label,
// so the retried claim knows the pod is the campaign's from its campaign label and state alone.

const cluster = testCluster();
const OLD = 'registry.example.com/proxy:1.0.0';
const NEW = 'registry.example.com/proxy:1.1.0';
const CAMPAIGN = 'claim-retry';
const activities = createActivities({
  clusters: new Map([['local', cluster.kc]]),
  isCampaignActive: async id => id === CAMPAIGN,
});
const claim = (ref: CampaignRef): Promise<ClaimResult> =>
  new MockActivityEnvironment().run(activities.claimTargets, ref);

describe('a claim retried after the campaign changed pods', () => {
  it('keeps an upgraded pod upgraded, with the image it had before as its previous image', async () => {
    const fleet = await injectedFleet(cluster, 'claim-retry', 3, {
      name: 'proxy',
      image: OLD,
    });
    const parsed = parseCampaignSpec({
      container: 'proxy',
      targetImage: NEW,
      selector: {
        namespaces: [fleet.namespace],
        labelSelector: fleet.selector,
      },
      strategy: { maxUnavailable: 1 },
    });
    assert.ok(parsed.ok);
    const ref: CampaignRef = { campaignId: CAMPAIGN, spec: parsed.spec };
    assert.equal((await claim(ref)).claimed, 3);

    // The campaign upgrades one pod as the rolling window does: the image, then the write that
    // marks it upgraded and lets go of its hold.
    const [upgraded] = fleet.pods;
    await cluster.core.patchNamespacedPod(
      {
        namespace: fleet.namespace,
        name: upgraded!.metadata!.name!,
        body: {
          metadata: {
            labels: {
              [CAMPAIGN_LABELS.state]: 'upgraded',
              [CAMPAIGN_LABELS.hold]: null,
            },
          },
          spec: { containers: [{ name: 'proxy', image: NEW }] },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );

    const retried = await claim(ref);
    assert.equal(retried.claimed, 3, 'the retry keeps every pod of the plan');
    const pods = await listPods(cluster, fleet.namespace, fleet.selector);
    const after = pods.find(
      p => p.metadata?.name === upgraded!.metadata!.name,
    )!;
    assert.equal(after.metadata?.labels?.[CAMPAIGN_LABELS.state], 'upgraded');
    assert.equal(
      after.metadata?.annotations?.[CAMPAIGN_ANNOTATIONS.previousImage],
      OLD,
      'a rollback would restore the image the pod had before the campaign',
    );
    assert.equal(sidecarImage(after, 'proxy'), NEW);
    assert.deepEqual(
      pods
        .filter(p => p !== after)
        .map(p => p.metadata?.labels?.[CAMPAIGN_LABELS.state]),
      ['pending', 'pending'],
    );
  });
});
