import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import {
  CAMPAIGN_LABELS,
  type CampaignStatus,
} from '@internal/plugin-sidecars-common';
import { isPodReady, listPods, testCluster } from '../support/cluster';
import {
  awaitPhase,
  awaitStatus,
  statusOf,
  suiteHarness,
} from '../support/campaigns';
import {
  injectedFleet,
  sidecarImage,
  sidecarRestarts,
  watchUnavailability,
  type InjectedFleet,
} from '../support/fleet';
import { podClock } from '../bench/pod-clock';
import {
  assertUpgradedOnce,
  rollThirtyPods,
} from '../support/rollout-assertions';
import { waitFor } from '@internal/dev-stack/stack/wait';

const cluster = testCluster();
const OLD = 'registry.example.com/proxy:1.0.0';
const NEW = 'registry.example.com/proxy:1.1.0';

const rollingSpec = (
  fleet: InjectedFleet,
  strategy: Record<string, unknown>,
) => ({
  container: 'proxy',
  targetImage: NEW,
  selector: { namespaces: [fleet.namespace], labelSelector: fleet.selector },
  strategy: { pacing: 'rolling', ...strategy },
});

const podsInState = async (fleet: InjectedFleet, state: string) =>
  (
    await listPods(
      cluster,
      fleet.namespace,
      `${fleet.selector},${CAMPAIGN_LABELS.state}=${state}`,
    )
  ).length;

const awaitUpgradedPods = (fleet: InjectedFleet, count: number) =>
  waitFor(async () => (await podsInState(fleet, 'upgraded')) >= count, {
    what: `${count} pods upgraded`,
    timeoutMs: 60_000,
    intervalMs: 100,
  });

/** When the campaign's status first shows the control `type` sent by `by`, in performance.now() time. */
const acknowledged = (handle: WorkflowHandle, type: string, by: string) =>
  waitFor(
    async () => {
      const status: CampaignStatus = await statusOf(handle);
      return (
        status.events.some(e => e.type === type && e.by === by) &&
        performance.now()
      );
    },
    {
      what: `the campaign to record the ${type}`,
      timeoutMs: 30_000,
      intervalMs: 20,
    },
  );

describe('a campaign with rolling pacing', () => {
  const harness = suiteHarness('rolling');

  it('upgrades every pod exactly once, never more than maxUnavailable unavailable, in one window', async () => {
    const status = await rollThirtyPods(
      cluster,
      harness(),
      'rolling',
      { from: OLD, to: NEW },
      { pacing: 'rolling' },
    );
    assert.deepEqual(
      status.batches
        .filter(b => b.direction === 'upgrade')
        .map(b => [b.index, b.lastIndex, b.upgraded]),
      [[0, 9, 30]],
      'the ten batches ran as one rolling window, summarised as one entry with its range',
    );
    const claimed = status.events.find(e => e.type === 'claimed');
    assert.ok(
      claimed &&
        Date.parse(status.batches[0]!.startedAt) < Date.parse(claimed.at),
      'without a canary, the window ran alongside the claim: the claim is recorded when both are done',
    );
  });

  it('runs the canary batch alone and pauses after it, never touches the partition, then rolls the rest', async () => {
    const fleet = await injectedFleet(cluster, 'rolling-canary', 8, {
      name: 'proxy',
      image: OLD,
    });
    const handle = await harness().start(
      rollingSpec(fleet, {
        maxUnavailable: 2,
        canary: { size: 1, then: 'pause' },
        partition: 2,
      }),
    );
    const paused = await awaitStatus(
      handle,
      'the pause after the canary',
      s => s.phase === 'Paused',
    );
    assert.equal(paused.counts.upgraded, 1, 'only the canary pod was upgraded');
    assert.equal(await podsInState(fleet, 'upgraded'), 1);
    await handle.signal('resume', { by: 'user:default/alice' });
    const done = await awaitPhase(handle, 'Completed');
    assert.equal(done.counts.upgraded, 6);
    const pods = await listPods(cluster, fleet.namespace, fleet.selector);
    const untouched = pods.filter(p => sidecarImage(p, 'proxy') === OLD);
    assert.equal(untouched.length, 2, 'the partition stays on the old version');
    for (const pod of untouched) {
      assert.equal(sidecarRestarts(pod, 'proxy'), 0);
      assert.equal(
        pod.metadata?.labels?.[CAMPAIGN_LABELS.campaign],
        undefined,
        'partitioned pods are never claimed',
      );
    }
    assert.ok(
      pods
        .filter(p => sidecarImage(p, 'proxy') === NEW)
        .every(p => sidecarRestarts(p, 'proxy') === 1),
    );
  });

  it('stops starting pods once a pause is acknowledged, lets the in-flight ones finish, and finishes after resume', async () => {
    const fleet = await injectedFleet(cluster, 'rolling-pause', 14, {
      name: 'proxy',
      image: OLD,
    });
    const clock = await podClock(
      cluster,
      { namespace: fleet.namespace },
      'proxy',
    );
    try {
      const handle = await harness().start(
        rollingSpec(fleet, { maxUnavailable: 2 }),
      );
      await awaitUpgradedPods(fleet, 2);
      await handle.signal('pause', {
        reason: 'investigating latency',
        by: 'user:default/alice',
      });
      const acknowledgedAt = await acknowledged(
        handle,
        'pause',
        'user:default/alice',
      );
      const paused = await awaitStatus(
        handle,
        'the pause to take effect with no window in flight',
        s => s.phase === 'Paused' && s.currentBatch === null,
      );
      assert.equal(paused.pausedReason, 'paused: investigating latency');

      const patchedAfter = clock
        .patchTimes(NEW)
        .filter(t => t > acknowledgedAt);
      assert.ok(
        patchedAfter.length <= 2,
        `at most maxUnavailable pods were already on their way when the pause landed, saw ${patchedAfter.length}`,
      );
      assert.equal(
        await podsInState(fleet, 'upgrading'),
        0,
        'the in-flight pods finished before the campaign reported Paused',
      );
      const upgraded = await podsInState(fleet, 'upgraded');
      assert.ok(upgraded < 14, 'paused before the end');
      const held = (
        await listPods(cluster, fleet.namespace, fleet.selector)
      ).filter(
        p =>
          p.metadata?.labels?.[CAMPAIGN_LABELS.hold] === handle.workflowId &&
          p.metadata.labels[CAMPAIGN_LABELS.state] === 'pending',
      );
      assert.equal(
        held.length,
        14 - upgraded,
        'the paused campaign holds every pod it planned and has not started',
      );
      assert.equal(
        paused.counts.upgraded,
        upgraded,
        'the counts match the cluster',
      );
      assert.equal(
        clock.patchTimes(NEW).length,
        upgraded,
        'no pod was patched after the window stopped',
      );
      const description = await handle.describe();
      assert.equal(
        description.raw.pendingActivities?.length ?? 0,
        0,
        'no activity runs while paused: nothing can patch a pod',
      );
      const events = (await handle.fetchHistory()).events ?? [];
      assert.ok(
        events.some(e => e.activityTaskCancelRequestedEventAttributes),
        'the pause cancelled the rolling window',
      );
      // Verified on the dev server: a cancelled activity that returns its tally completes, and the workflow gets the tally.
      assert.ok(
        !events.some(e => e.activityTaskCanceledEventAttributes),
        'the window returned its tally instead of ending cancelled',
      );
      const scheduled = events
        .map(e => e.activityTaskScheduledEventAttributes?.activityType?.name)
        .filter(name => name !== undefined);
      assert.ok(
        !scheduled.includes('tallyBatches'),
        `the workflow took the returned tally, no recount: ${scheduled.join(', ')}`,
      );

      await handle.signal('resume', { by: 'user:default/alice' });
      const done = await awaitPhase(handle, 'Completed');
      assert.equal(done.counts.upgraded, 14);
      assert.equal(done.counts.pending, 0);
      assertUpgradedOnce(
        await listPods(cluster, fleet.namespace, fleet.selector),
        'proxy',
        NEW,
      );
    } finally {
      clock.stop();
    }
  });

  it('stops starting pods when a -crashloop image exhausts the failure budget, and rolls back', async () => {
    const fleet = await injectedFleet(cluster, 'rolling-crashloop', 10, {
      name: 'proxy',
      image: OLD,
    });
    const handle = await harness().start({
      ...rollingSpec(fleet, {
        maxUnavailable: 2,
        failureBudget: 1,
        healthTimeoutSeconds: 60,
      }),
      targetImage: 'registry.example.com/proxy:1.1.0-crashloop',
    });
    const status = await awaitPhase(handle, 'RolledBack');
    assert.match(
      status.phaseReason ?? '',
      /failure budget exceeded: [23] failed, budget 1/,
    );
    const pods = await listPods(cluster, fleet.namespace, fleet.selector);
    const touched = pods.filter(p => sidecarRestarts(p, 'proxy') > 0);
    assert.ok(
      touched.length <= 3,
      `no pod started after the budget was spent: ${touched.length} touched`,
    );
    for (const pod of pods) {
      assert.equal(
        sidecarImage(pod, 'proxy'),
        OLD,
        `${pod.metadata?.name} is back on its old image`,
      );
      assert.ok(isPodReady(pod), `${pod.metadata?.name} is Ready`);
    }
  });

  it('rolls back mid-window: every pod ends on the image it had', async () => {
    const fleet = await injectedFleet(cluster, 'rolling-rollback', 12, {
      name: 'proxy',
      image: OLD,
    });
    const handle = await harness().start(
      rollingSpec(fleet, { maxUnavailable: 2 }),
    );
    const watcher = await watchUnavailability(
      cluster,
      fleet.namespace,
      handle.workflowId,
    );
    try {
      await awaitUpgradedPods(fleet, 2);
      await handle.signal('rollback', {
        reason: 'p99 latency regression',
        by: 'user:default/bob',
      });
      const status = await awaitPhase(handle, 'RolledBack');
      assert.equal(status.counts.upgraded, 0);
      assert.ok(
        status.counts.rolledBack >= 2,
        `rolled back ${status.counts.rolledBack}`,
      );
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
      assert.ok(
        watcher.max <= 2,
        `never more than 2 unavailable, saw ${watcher.max}`,
      );
    } finally {
      watcher.stop();
    }
  });

  it('aborts mid-window: holds released, no pod left between images, the changed ones named', async () => {
    const fleet = await injectedFleet(cluster, 'rolling-abort', 12, {
      name: 'proxy',
      image: OLD,
    });
    const handle = await harness().start(
      rollingSpec(fleet, { maxUnavailable: 2 }),
    );
    await awaitUpgradedPods(fleet, 2);
    await handle.signal('abort', {
      reason: 'change freeze',
      by: 'user:default/carol',
    });
    const status = await awaitPhase(handle, 'Aborted');
    const pods = await listPods(cluster, fleet.namespace, fleet.selector);
    const onNew = pods.filter(p => sidecarImage(p, 'proxy') === NEW);
    assert.ok(
      onNew.length >= 2 && onNew.length < 12,
      `aborted mid-way with ${onNew.length} upgraded`,
    );
    assert.equal(status.leftChanged, onNew.length);
    assert.equal(status.counts.upgraded, onNew.length);
    assert.ok(
      pods.every(p => p.metadata?.labels?.[CAMPAIGN_LABELS.hold] === undefined),
      'every hold released',
    );
    for (const pod of onNew)
      assert.equal(
        pod.metadata?.labels?.[CAMPAIGN_LABELS.state],
        'upgraded',
        `${pod.metadata?.name} finished its upgrade`,
      );
    for (const pod of pods.filter(p => sidecarImage(p, 'proxy') === OLD))
      assert.equal(
        sidecarRestarts(pod, 'proxy'),
        0,
        'pods never started stay untouched',
      );
  });
});
