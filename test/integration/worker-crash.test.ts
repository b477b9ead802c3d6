import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import { listPods, testCluster } from '../support/cluster';
import type { CampaignStatus } from '@internal/plugin-sidecars-common';
import { awaitPhase, awaitStatus, campaignHarness } from '../support/campaigns';
import { CAMPAIGN_LABELS } from '@internal/plugin-sidecars-common';
import { waitFor } from '@internal/dev-stack/stack/wait';
import {
  injectedFleet,
  sidecarImage,
  sidecarRestarts,
  type InjectedFleet,
} from '../support/fleet';
import { killHard, startWorkerProcess } from '../support/worker-process';

const cluster = testCluster();
const OLD = 'registry.example.com/proxy:1.0.0';
const NEW = 'registry.example.com/proxy:1.1.0';

describe('a campaign whose worker is killed', () => {
  const harness = campaignHarness('crash');
  let h: Awaited<typeof harness>;
  let worker: ChildProcess | undefined;
  before(async () => {
    h = await harness;
  });
  afterEach(async () => {
    if (worker) await killHard(worker);
    worker = undefined;
  });
  after(() => h.close());

  it('completes after two SIGKILLs (one mid-batch), each pod patched exactly once toward the target', async () => {
    const fleet = await injectedFleet(cluster, 'crash', 12, {
      name: 'proxy',
      image: OLD,
    });
    worker = await startWorkerProcess(h.taskQueue);
    const handle = await h.start({
      container: 'proxy',
      targetImage: NEW,
      selector: {
        namespaces: [fleet.namespace],
        labelSelector: fleet.selector,
      },
      strategy: { maxUnavailable: 2, bakeSeconds: 2 },
    });
    // First kill: with a batch's activities in flight. Second: between batches, halfway through.
    const moments: Array<[string, (s: CampaignStatus) => boolean]> = [
      [
        'a batch in flight',
        s => s.currentBatch !== null && s.phase === 'Running',
      ],
      [
        'half the pods upgraded, more to go',
        s =>
          s.counts.upgraded >= 6 &&
          s.counts.upgraded < 12 &&
          s.phase === 'Running',
      ],
    ];
    for (const [moment, reached] of moments) {
      await awaitStatus(handle, moment, reached);
      await killHard(worker);
      worker = await startWorkerProcess(h.taskQueue);
    }
    const status = await awaitPhase(handle, 'Completed', 180_000);
    assert.deepEqual(status.counts, {
      total: 12,
      upgraded: 12,
      failed: 0,
      rolledBack: 0,
      skipped: 0,
      pending: 0,
      notStarted: 0,
    });
    await assertEachPodChangedOnce(fleet);
  });

  it('under rolling pacing, completes after a SIGKILL while the claim and the first window run as one activity', async () => {
    const fleet = await injectedFleet(cluster, 'crash-rolling', 12, {
      name: 'proxy',
      image: OLD,
    });
    worker = await startWorkerProcess(h.taskQueue);
    const handle = await h.start({
      container: 'proxy',
      targetImage: NEW,
      selector: {
        namespaces: [fleet.namespace],
        labelSelector: fleet.selector,
      },
      strategy: { maxUnavailable: 2, pacing: 'rolling' },
    });
    // The window reports only when it ends, so the moment is read from the pods' labels.
    await waitFor(
      async () => {
        const upgraded = await listPods(
          cluster,
          fleet.namespace,
          `${fleet.selector},${CAMPAIGN_LABELS.state}=upgraded`,
        );
        return upgraded.length >= 3 && upgraded.length < 12;
      },
      {
        what: 'a few pods upgraded, more to go',
        timeoutMs: 60_000,
        intervalMs: 50,
      },
    );
    await killHard(worker);
    worker = await startWorkerProcess(h.taskQueue);
    const status = await awaitPhase(handle, 'Completed', 180_000);
    assert.equal(status.counts.upgraded, 12);
    assert.equal(status.counts.failed, 0);
    await assertEachPodChangedOnce(fleet);
  });

  async function assertEachPodChangedOnce(fleet: InjectedFleet): Promise<void> {
    for (const pod of await listPods(
      cluster,
      fleet.namespace,
      fleet.selector,
    )) {
      assert.equal(sidecarImage(pod, 'proxy'), NEW);
      assert.equal(
        sidecarRestarts(pod, 'proxy'),
        1,
        `${pod.metadata?.name}: one image change means one container restart`,
      );
      assert.equal(
        pod.metadata?.labels?.[CAMPAIGN_LABELS.hold],
        undefined,
        `${pod.metadata?.name}: released`,
      );
    }
  }
});
