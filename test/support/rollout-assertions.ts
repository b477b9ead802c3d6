import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import {
  CAMPAIGN_LABELS,
  type CampaignStatus,
} from '@internal/plugin-sidecars-common';
import { awaitPhase, type CampaignHarness } from './campaigns';
import { listPods, type TestCluster } from './cluster';
import {
  injectedFleet,
  sidecarImage,
  sidecarRestarts,
  watchUnavailability,
} from './fleet';

/** Every pod runs `image` in `container`, was patched exactly once, and the campaign let go of it as upgraded. */
export function assertUpgradedOnce(
  pods: readonly V1Pod[],
  container: string,
  image: string,
): void {
  for (const pod of pods) {
    assert.equal(
      sidecarImage(pod, container),
      image,
      `${pod.metadata?.name} runs the target image`,
    );
    assert.equal(
      sidecarRestarts(pod, container),
      1,
      `${pod.metadata?.name} was patched exactly once`,
    );
    assert.equal(pod.metadata?.labels?.[CAMPAIGN_LABELS.state], 'upgraded');
    assert.equal(
      pod.metadata?.labels?.[CAMPAIGN_LABELS.hold],
      undefined,
      'holds are released on completion',
    );
  }
}

/**
 * Rolls `from` → `to` over 30 injected pods with maxUnavailable 3 and the given extra strategy, and
 * checks what must hold for any pacing: every pod upgraded exactly once, counts that match the
 * cluster, and an independent pod watcher that never saw more than 3 pods unavailable.
 */
export async function rollThirtyPods(
  cluster: TestCluster,
  harness: CampaignHarness,
  prefix: string,
  images: { from: string; to: string },
  strategy: Record<string, unknown> = {},
): Promise<CampaignStatus> {
  const fleet = await injectedFleet(cluster, prefix, 30, {
    name: 'proxy',
    image: images.from,
  });
  const handle = await harness.start({
    container: 'proxy',
    targetImage: images.to,
    selector: { namespaces: [fleet.namespace], labelSelector: fleet.selector },
    strategy: { maxUnavailable: 3, ...strategy },
  });
  const watcher = await watchUnavailability(
    cluster,
    fleet.namespace,
    handle.workflowId,
  );
  try {
    const status = await awaitPhase(handle, 'Completed');
    const pods = await listPods(cluster, fleet.namespace, fleet.selector);
    assert.equal(pods.length, 30);
    assertUpgradedOnce(pods, 'proxy', images.to);
    assert.deepEqual(status.counts, {
      total: 30,
      upgraded: 30,
      failed: 0,
      rolledBack: 0,
      skipped: 0,
      pending: 0,
      notStarted: 0,
    });
    assert.equal(status.totalBatches, 10);
    assert.ok(watcher.changes > 0, 'the watcher saw the rollout');
    assert.ok(
      watcher.max >= 1,
      `the watcher saw pods restarting (max ${watcher.max})`,
    );
    assert.ok(
      watcher.max <= 3,
      `never more than 3 unavailable because of the campaign, saw ${watcher.max}`,
    );
    return status;
  } finally {
    watcher.stop();
  }
}
