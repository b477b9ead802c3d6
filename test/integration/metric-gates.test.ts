import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort } from '@internal/dev-stack/stack/ports';
import { listPods, testCluster } from '../support/cluster';
import {
  awaitPhase,
  awaitStatus,
  campaignHarness,
  suiteHarness,
  type CampaignHarness,
} from '../support/campaigns';
import { injectedFleet, sidecarImage } from '../support/fleet';
import { awaitQuery, metricTarget } from '../support/metric-target';

const cluster = testCluster();
const OLD = 'registry.example.com/proxy:1.0.0';
const NEW = 'registry.example.com/proxy:1.1.0';

/**
 * Metric gates against the stack's real Prometheus (Debian's, scraping the pods' container state
 * every second, and targets of the tests' own): the worker queries it after each batch.
 */
describe('metric health gates', () => {
  const harness = suiteHarness('gates');

  const campaign = (
    fleet: { namespace: string; selector: string },
    metrics: unknown[],
    strategy: Record<string, unknown> = {},
  ) =>
    harness().start({
      container: 'proxy',
      targetImage: NEW,
      selector: {
        namespaces: [fleet.namespace],
        labelSelector: fleet.selector,
      },
      strategy: { maxUnavailable: 2, rollbackWindowSeconds: 0, ...strategy },
      analysis: { metrics },
    });

  it('passes a gate on the sidecars the pods report ready, and the campaign completes', async () => {
    const fleet = await injectedFleet(cluster, 'gate-pass', 4, {
      name: 'proxy',
      image: OLD,
    });
    const ready = `sum(sidecar_container_ready{namespace="${fleet.namespace}",container="proxy"})`;
    // The pod exporter's series reach Prometheus before the campaign starts.
    await awaitQuery(
      ready,
      v => v[0] === 4,
      'the four ready sidecars in Prometheus',
    );
    const handle = await campaign(fleet, [
      {
        name: 'sidecars-ready',
        query: ready,
        interval: '1s',
        count: 2,
        // No more sidecars down than maxUnavailable allows.
        successCondition: 'result[0] >= 2',
      },
    ]);
    const status = await awaitPhase(handle, 'Completed');
    assert.equal(status.counts.upgraded, 4);
    assert.deepEqual(
      status.analysisRuns?.map(run => [run.batch, run.phase]),
      [
        [0, 'Successful'],
        [1, 'Successful'],
      ],
    );
    for (const run of status.analysisRuns ?? []) {
      assert.equal(run.metrics[0]?.measured, 2);
      assert.match(run.metrics[0]?.lastValue ?? '', /^\[[234]\]$/);
    }
    assert.ok(
      status.events.some(
        e =>
          e.type === 'analysis' &&
          /batch 2 successful: sidecars-ready: 2 of 2/.test(e.message),
      ),
    );
  });

  it('checks a rolling window once, after its batches', async () => {
    const fleet = await injectedFleet(cluster, 'gate-rolling', 4, {
      name: 'proxy',
      image: OLD,
    });
    const ready = `sum(sidecar_container_ready{namespace="${fleet.namespace}",container="proxy"})`;
    const handle = await campaign(
      fleet,
      [
        {
          name: 'sidecars-ready',
          query: ready,
          successCondition: 'result[0] >= 2',
        },
      ],
      { pacing: 'rolling', bakeSeconds: 0 },
    );
    const status = await awaitPhase(handle, 'Completed');
    assert.deepEqual(
      status.analysisRuns?.map(run => [run.batch, run.lastBatch, run.phase]),
      [[0, 1, 'Successful']],
    );
    assert.ok(
      status.events.some(
        e =>
          e.type === 'analysis' &&
          e.message.startsWith('analysis after batches 1-2 successful'),
      ),
    );
  });

  it('fails a batch when the metric says so, and rolls the campaign back', async () => {
    const fleet = await injectedFleet(cluster, 'gate-fail', 6, {
      name: 'proxy',
      image: OLD,
    });
    const errors = await metricTarget(
      'gate_test_error_ratio',
      fleet.namespace,
      0,
    );
    try {
      const handle = await campaign(fleet, [
        {
          name: 'error-ratio',
          query: `gate_test_error_ratio{suite="${fleet.namespace}"}`,
          interval: '2s',
          count: 3,
          successCondition: 'result[0] <= 0.05',
        },
      ]);
      // The first batch's analysis passes; then the error ratio climbs.
      await awaitStatus(
        handle,
        "the first batch's analysis to pass",
        s => s.analysisRuns?.[0]?.phase === 'Successful',
      );
      errors.set(0.5);
      const status = await awaitPhase(handle, 'RolledBack');
      assert.match(
        status.phaseReason ?? '',
        /failure budget exceeded: 0 pod\(s\) and 1 analysis run\(s\) failed, budget 0; last: analysis after batch 2 failed: error-ratio: 1 of \d measurement\(s\) failed, last value \[0\.5\] \(successCondition result\[0\] <= 0\.05 did not hold\)/,
      );
      assert.deepEqual(
        status.analysisRuns?.map(run => run.phase),
        ['Successful', 'Failed'],
      );
      assert.equal(
        status.counts.rolledBack,
        4,
        'both upgraded batches are restored',
      );
      for (const pod of await listPods(
        cluster,
        fleet.namespace,
        fleet.selector,
      ))
        assert.equal(
          sidecarImage(pod, 'proxy'),
          OLD,
          `${pod.metadata?.name} is back on ${OLD}`,
        );
    } finally {
      await errors.close();
    }
  });

  it('pauses with the reason when the analysis is inconclusive (the query finds no data)', async () => {
    const fleet = await injectedFleet(cluster, 'gate-unsure', 4, {
      name: 'proxy',
      image: OLD,
    });
    const handle = await campaign(fleet, [
      {
        name: 'latency',
        query: `gate_test_latency_seconds{suite="${fleet.namespace}"}`,
        interval: '1s',
        successCondition: 'result[0] < 0.3',
      },
    ]);
    const paused = await awaitPhase(handle, 'Paused');
    assert.equal(
      paused.pausedReason,
      'analysis after batch 1 inconclusive: latency: 1 of 1 measurement(s) inconclusive, last value [] (the query returned no data): check the metric and Prometheus, then resume to continue or roll back',
    );
    assert.equal(
      paused.counts.upgraded,
      2,
      'no batch started after the inconclusive one',
    );
    const pods = await listPods(cluster, fleet.namespace, fleet.selector);
    assert.equal(pods.filter(p => sidecarImage(p, 'proxy') === NEW).length, 2);
    await handle.signal('rollback', {
      by: 'user:default/pat',
      reason: 'no latency metric yet',
    });
    await awaitPhase(handle, 'RolledBack');
  });

  describe('with Prometheus unreachable', () => {
    let unreachable: CampaignHarness;
    before(async () => {
      // A port nothing listens on: every query is refused, as when Prometheus is down.
      const port = await freePort();
      unreachable = await campaignHarness('gates-down');
      await unreachable.startWorker(undefined, {
        url: `http://127.0.0.1:${port}`,
      });
    });
    after(() => unreachable?.close());

    it('pauses with the reason once the measurement’s retries are spent', async () => {
      const fleet = await injectedFleet(cluster, 'gate-down', 2, {
        name: 'proxy',
        image: OLD,
      });
      const handle = await unreachable.start({
        container: 'proxy',
        targetImage: NEW,
        selector: {
          namespaces: [fleet.namespace],
          labelSelector: fleet.selector,
        },
        strategy: { maxUnavailable: 1 },
        analysis: {
          metrics: [
            {
              name: 'error-ratio',
              query: 'vector(0)',
              successCondition: 'result[0] <= 0.05',
            },
          ],
        },
      });
      const paused = await awaitPhase(handle, 'Paused');
      assert.match(
        paused.pausedReason ?? '',
        /^analysis after batch 1 inconclusive: error-ratio: 1 of 1 measurement\(s\) inconclusive \(Prometheus could not be queried: Prometheus at http:\/\/127\.0\.0\.1:\d+ is unreachable: .*ECONNREFUSED.*\)/,
      );
      assert.equal(paused.counts.upgraded, 1);
      await handle.signal('abort', {
        by: 'user:default/pat',
        reason: 'test over',
      });
      await awaitPhase(handle, 'Aborted');
    });
  });
});
