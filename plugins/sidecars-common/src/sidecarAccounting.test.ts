import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HOUR_MS, crashLoopedWithin, restartFigures } from './restartWindows';
import {
  ACCOUNTING_GROUP_BYS,
  accountSidecar,
  NO_CATALOG_OWNER,
  type AccountedPod,
  type AccountedSidecar,
} from './sidecarAccounting';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const MI = 2 ** 20;

const istio = (patch: Partial<AccountedSidecar> = {}): AccountedSidecar => ({
  requests: { cpuCores: 0.1, memoryBytes: 128 * MI },
  limits: { memoryBytes: 256 * MI },
  ordering: 'unordered',
  restarts: [],
  crashLoopingNow: false,
  ...patch,
});

function pod(
  cluster: string,
  namespace: string,
  workload: string,
  team: string | undefined,
  sidecar?: AccountedSidecar,
): AccountedPod {
  return {
    cluster,
    namespace,
    ...(team ? { team } : {}),
    workload: { kind: 'Deployment', name: workload },
    requests: {
      cpuCores: 0.25 + (sidecar?.requests.cpuCores ?? 0),
      memoryBytes: 256 * MI + (sidecar?.requests.memoryBytes ?? 0),
    },
    ...(sidecar ? { sidecar } : {}),
  };
}

const PAYMENTS = 'group:default/team-payments';
const CATALOG = 'group:default/team-catalog';

describe('accountSidecar', () => {
  const pods = [
    pod('east', 'payments', 'api', PAYMENTS, istio()),
    pod('east', 'payments', 'api', PAYMENTS, istio()),
    pod('west', 'payments', 'ledger', PAYMENTS, istio({ ordering: 'native' })),
    pod('west', 'catalog', 'search', CATALOG),
    pod('west', 'tools', 'job', undefined, istio()),
  ];

  it('sums pods, requests and limits by team, with the share of all requests of the group', () => {
    const result = accountSidecar('istio-proxy', pods, 'team', NOW);
    assert.deepEqual(
      result.groups.map(g => [g.key, g.pods]),
      [
        [PAYMENTS, 3],
        [NO_CATALOG_OWNER, 1],
      ],
    );
    const payments = result.groups[0]!;
    assert.deepEqual(payments.requests, {
      cpuCores: 0.3,
      memoryBytes: 384 * MI,
    });
    assert.deepEqual(payments.limits, { cpuCores: 0, memoryBytes: 768 * MI });
    assert.deepEqual(payments.unlimitedPods, { cpu: 3, memory: 0 });
    // 0.1 of each pod's 0.35 cores; 128Mi of 384Mi.
    assert.equal(payments.shareOfRequests.cpu, 0.2857);
    assert.equal(payments.shareOfRequests.memory, 0.3333);
    assert.deepEqual(payments.startOrdering, {
      native: 1,
      'start-hook': 0,
      unordered: 2,
    });
    // The fleet's share counts the catalog pod that has no sidecar: 0.4 of 1.65 cores.
    assert.equal(result.fleet.pods, 4);
    assert.equal(result.fleet.shareOfRequests.cpu, 0.2424);
  });

  it('groups by cluster and by cluster/namespace', () => {
    assert.deepEqual(
      accountSidecar('istio-proxy', pods, 'cluster', NOW).groups.map(g => [
        g.key,
        g.pods,
      ]),
      [
        ['east', 2],
        ['west', 2],
      ],
    );
    assert.deepEqual(
      accountSidecar('istio-proxy', pods, 'namespace', NOW)
        .groups.map(g => g.key)
        .sort(),
      ['east/payments', 'west/payments', 'west/tools'],
    );
  });

  it('counts restarts in the last hour and day, crash loops, and names the workloads that restart most', () => {
    const looping = istio({
      restarts: [
        { at: NOW - 2 * HOUR_MS, count: 1 },
        { at: NOW - 300_000, count: 2 },
        { at: NOW - 100_000, count: 1 },
      ],
    });
    const once = istio({
      restarts: [
        { at: NOW - 30 * HOUR_MS, count: 1 },
        { at: NOW - 5 * HOUR_MS, count: 1 },
      ],
    });
    const backingOff = istio({ crashLoopingNow: true });
    const result = accountSidecar(
      'istio-proxy',
      [
        pod('east', 'shop', 'cart', PAYMENTS, looping),
        pod('east', 'shop', 'web', PAYMENTS, once),
        pod('east', 'shop', 'web', PAYMENTS, backingOff),
        pod('east', 'shop', 'quiet', PAYMENTS, istio()),
      ],
      'team',
      NOW,
    );
    assert.deepEqual(result.fleet.restarts, { lastHour: 3, lastDay: 5 });
    assert.deepEqual(result.fleet.crashLoopingPods, {
      now: 1,
      lastHour: 2,
      lastDay: 2,
    });
    assert.deepEqual(
      result.topRestarting.map(w => [w.name, w.restarts, w.crashLoopingPods]),
      [
        ['cart', { lastHour: 3, lastDay: 4 }, 1],
        ['web', { lastHour: 0, lastDay: 1 }, 1],
      ],
    );
    assert.deepEqual(
      result.unorderedWorkloads.map(w => [w.name, w.pods]),
      [
        ['web', 2],
        ['cart', 1],
        ['quiet', 1],
      ],
    );
  });

  const sidecarArbitrary: fc.Arbitrary<AccountedSidecar> = fc.record({
    requests: fc.record(
      {
        cpuCores: fc.integer({ min: 0, max: 2000 }).map(m => m / 1000),
        memoryBytes: fc.integer({ min: 0, max: 1024 }).map(m => m * MI),
      },
      { requiredKeys: [] },
    ),
    limits: fc.record(
      { memoryBytes: fc.integer({ min: 1, max: 1024 }).map(m => m * MI) },
      { requiredKeys: [] },
    ),
    ordering: fc.constantFrom('native', 'start-hook', 'unordered'),
    restarts: fc
      .array(
        fc.record({
          at: fc.integer({ min: NOW - 2 * 24 * HOUR_MS, max: NOW }),
          count: fc.integer({ min: 1, max: 5 }),
        }),
        { maxLength: 6 },
      )
      .map(records => records.sort((a, b) => a.at - b.at)),
    crashLoopingNow: fc.boolean(),
  });
  const podArbitrary: fc.Arbitrary<AccountedPod> = fc
    .record({
      cluster: fc.constantFrom('east', 'west'),
      namespace: fc.constantFrom('a', 'b', 'c'),
      team: fc.option(fc.constantFrom(PAYMENTS, CATALOG), { nil: undefined }),
      workload: fc.constantFrom('x', 'y', 'z'),
      sidecar: fc.option(sidecarArbitrary, { nil: undefined }),
    })
    .map(p => pod(p.cluster, p.namespace, p.workload, p.team, p.sidecar));

  it('property: the groups of any grouping add up to the fleet, and shares stay within 0..1', () => {
    fc.assert(
      fc.property(
        fc.array(podArbitrary, { maxLength: 30 }),
        fc.constantFrom(...ACCOUNTING_GROUP_BYS),
        (input, groupBy) => {
          const result = accountSidecar('istio-proxy', input, groupBy, NOW);
          const withSidecar = input.filter(p => p.sidecar);
          const sum = (f: (g: (typeof result.groups)[number]) => number) =>
            result.groups.reduce((total, g) => total + f(g), 0);
          assert.equal(result.fleet.pods, withSidecar.length);
          assert.equal(
            sum(g => g.pods),
            result.fleet.pods,
          );
          assert.equal(
            sum(g => g.requests.memoryBytes),
            result.fleet.requests.memoryBytes,
          );
          assert.ok(
            Math.abs(
              sum(g => g.requests.cpuCores) - result.fleet.requests.cpuCores,
            ) < 1e-6,
          );
          assert.equal(
            sum(g => g.restarts.lastDay),
            withSidecar.reduce(
              (total, p) => total + restartFigures(p.sidecar!, NOW).lastDay,
              0,
            ),
          );
          assert.equal(
            sum(g => g.crashLoopingPods.lastHour),
            withSidecar.filter(p => crashLoopedWithin(p.sidecar!, NOW, HOUR_MS))
              .length,
          );
          for (const group of [result.fleet, ...result.groups]) {
            assert.ok(
              group.shareOfRequests.cpu >= 0 && group.shareOfRequests.cpu <= 1,
            );
            assert.ok(
              group.shareOfRequests.memory >= 0 &&
                group.shareOfRequests.memory <= 1,
            );
            assert.ok(group.restarts.lastHour <= group.restarts.lastDay);
            assert.equal(
              group.startOrdering.native +
                group.startOrdering['start-hook'] +
                group.startOrdering.unordered,
              group.pods,
            );
          }
          assert.ok(result.topRestarting.length <= 10);
        },
      ),
    );
  });
});
