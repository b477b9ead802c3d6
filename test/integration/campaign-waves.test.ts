import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { CAMPAIGN_LABELS } from '@internal/plugin-sidecars-common';
import { CRASHLOOP_SUFFIX } from '@internal/dev-stack/stack/kwok-stages';
import { approveSignal, rollbackSignal } from '@internal/sidecar-workflows';
import { listPods, testCluster } from '../support/cluster';
import { awaitPhase, awaitStatus, suiteHarness } from '../support/campaigns';
import {
  injectedFleet,
  sameFleetIn,
  sidecarImage,
  type InjectedFleet,
} from '../support/fleet';

// Waves over the stack's two clusters: wave "staging" in local, wave "prod" in kwok-2 behind an
// approval. Each wave runs a child workflow per cluster; the pods tell what happened where.

const local = testCluster();
const kwok2 = testCluster('kwok-2');
const OLD = 'registry.example.com/proxy:1.0.0';
const NEW = 'registry.example.com/proxy:1.1.0';
const REPLICAS = 3;

/** The same fleet in both clusters. */
async function twoClusterFleet(prefix: string): Promise<InjectedFleet> {
  const fleet = await injectedFleet(local, prefix, REPLICAS, {
    name: 'proxy',
    image: OLD,
  });
  await sameFleetIn(kwok2, fleet, { name: 'proxy', image: OLD }, REPLICAS);
  return fleet;
}

function wavesSpec(fleet: InjectedFleet, targetImage: string) {
  return {
    container: 'proxy',
    targetImage,
    selector: { namespaces: [fleet.namespace], labelSelector: fleet.selector },
    strategy: {
      maxUnavailable: 1,
      healthTimeoutSeconds: 10,
      rollbackWindowSeconds: 600,
    },
    waves: [
      { name: 'staging', clusters: ['local'] },
      { name: 'prod', clusters: ['kwok-2'], gate: { approval: true } },
    ],
  };
}

const images = (pods: V1Pod[]) => pods.map(pod => sidecarImage(pod, 'proxy'));

describe('a campaign in waves over two clusters', () => {
  const harness = suiteHarness('campaign-waves');

  it('runs wave 1, waits for approval before wave 2, and a rollback undoes wave 2 then wave 1', async () => {
    const fleet = await twoClusterFleet('waves');
    const handle = await harness().start(wavesSpec(fleet, NEW));

    const gated = await awaitStatus(
      handle,
      'wave "prod" to wait for approval',
      s => s.waves?.[1]?.gate?.state === 'awaiting-approval',
    );
    assert.equal(gated.phase, 'Paused');
    assert.equal(gated.counts.upgraded, REPLICAS);
    assert.deepEqual(
      images(await listPods(local, fleet.namespace, fleet.selector)),
      Array(REPLICAS).fill(NEW),
    );
    const waiting = await listPods(kwok2, fleet.namespace, fleet.selector);
    assert.deepEqual(images(waiting), Array(REPLICAS).fill(OLD));
    assert.ok(
      waiting.every(p => !p.metadata?.labels?.[CAMPAIGN_LABELS.campaign]),
      'no kwok-2 pod is claimed before the approval',
    );

    await handle.signal(approveSignal, { by: 'user:default/pat' });
    const completed = await awaitPhase(handle, 'Completed');
    assert.equal(completed.counts.upgraded, 2 * REPLICAS);
    assert.deepEqual(
      images(await listPods(kwok2, fleet.namespace, fleet.selector)),
      Array(REPLICAS).fill(NEW),
    );

    await handle.signal(rollbackSignal, {
      by: 'user:default/pat',
      reason: 'prod error rate',
    });
    const rolledBack = await awaitPhase(handle, 'RolledBack');
    assert.deepEqual(
      rolledBack.events
        .filter(e => e.type === 'wave' && e.message.includes('rolled back'))
        .map(e => e.message),
      [
        'wave "prod" rolled back in kwok-2',
        'wave "staging" rolled back in local',
      ],
    );
    for (const cluster of [local, kwok2])
      assert.deepEqual(
        images(await listPods(cluster, fleet.namespace, fleet.selector)),
        Array(REPLICAS).fill(OLD),
      );
  });

  it('a failure in wave 1 rolls it back and wave 2 never starts', async () => {
    const fleet = await twoClusterFleet('waves-fail');
    const broken = `${NEW}${CRASHLOOP_SUFFIX}`;
    const handle = await harness().start(wavesSpec(fleet, broken));

    const status = await awaitPhase(handle, 'RolledBack');
    assert.match(
      status.phaseReason ?? '',
      /wave "staging" stopped in local: lane RolledBack.*later waves not started/,
    );
    assert.equal(status.waves?.[1]?.state, 'pending');
    assert.equal(status.waves?.[1]?.lanes[0]?.phase, undefined);
    for (const cluster of [local, kwok2])
      assert.deepEqual(
        images(await listPods(cluster, fleet.namespace, fleet.selector)),
        Array(REPLICAS).fill(OLD),
      );
  });
});
