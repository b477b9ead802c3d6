import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  orderPods,
  planBatches,
  type BatchPlan,
  type PlannablePod,
} from './planner';
import { parseCampaignSpec, type CampaignStrategy } from './spec';

const ZONE = 'topology.kubernetes.io/zone';
const PRIORITY = 'example.com/priority';

function strategy(input: Record<string, unknown>): CampaignStrategy {
  const result = parseCampaignSpec({
    container: 'istio-proxy',
    targetImage: 'istio/proxyv2:1.24.2',
    selector: { fleetWide: true },
    strategy: input,
  });
  assert.ok(result.ok, JSON.stringify(result));
  return result.spec.strategy;
}

function pods(
  count: number,
  labels: (i: number) => Record<string, string> = () => ({}),
): PlannablePod[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `c/ns/pod-${String(i).padStart(3, '0')}`,
    labels: labels(i),
  }));
}

const podArbitrary: fc.Arbitrary<PlannablePod[]> = fc.uniqueArray(
  fc.record({
    key: fc
      .tuple(
        fc.constantFrom('east', 'west'),
        fc.constantFrom('a', 'b'),
        fc.integer({ min: 0, max: 99 }),
      )
      .map(([c, n, i]) => `${c}/${n}/pod-${i}`),
    labels: fc.record(
      {
        [ZONE]: fc.constantFrom('zone-a', 'zone-b', 'zone-c', 'zone-d'),
        [PRIORITY]: fc.constantFrom('1', '2', '10', '-3', '2.5', 'high'),
      },
      { requiredKeys: [] },
    ),
  }),
  { selector: pod => pod.key, maxLength: 80 },
);

const countOrPercent = (min: number, max: number) =>
  fc.oneof(
    fc.integer({ min, max }),
    fc.integer({ min, max: 100 }).map(p => `${p}%`),
  );

const strategyArbitrary: fc.Arbitrary<CampaignStrategy> = fc
  .record(
    {
      maxUnavailable: countOrPercent(1, 20),
      canary: fc.record({
        size: countOrPercent(1, 10),
        then: fc.constant('pause'),
      }),
      partition: countOrPercent(0, 90),
      order: fc.constantFrom(
        { by: 'name' },
        { by: 'priority', label: PRIORITY },
        { by: 'scatter', topologyKey: ZONE },
      ),
    },
    { requiredKeys: ['maxUnavailable', 'order'] },
  )
  .map(strategy);

function percentOf(
  value: number | string,
  total: number,
  rounding: 'down' | 'up',
): number {
  if (typeof value === 'number') return value;
  const scaled = (Number(value.slice(0, -1)) * total) / 100;
  return rounding === 'down' ? Math.floor(scaled) : Math.ceil(scaled);
}

function fullOrder(plan: BatchPlan): string[] {
  return [...plan.batches.flat(), ...plan.partitioned];
}

const planArbitrary = fc
  .tuple(podArbitrary, strategyArbitrary)
  .map(([input, s]) => ({ input, s, plan: planBatches(input, s) }));

describe('planBatches', () => {
  it('splits 10 pods at 25% into batches of 2 after a canary of 1, leaving the partition out', () => {
    const plan = planBatches(
      pods(10),
      strategy({
        maxUnavailable: '25%',
        canary: { size: 1, then: 'pause' },
        partition: 3,
      }),
    );
    assert.deepEqual(plan, {
      maxUnavailable: 2,
      batches: [
        ['c/ns/pod-000'],
        ['c/ns/pod-001', 'c/ns/pod-002'],
        ['c/ns/pod-003', 'c/ns/pod-004'],
        ['c/ns/pod-005', 'c/ns/pod-006'],
      ],
      partitioned: ['c/ns/pod-007', 'c/ns/pod-008', 'c/ns/pod-009'],
    });
  });

  it('plans nothing for no pods', () => {
    assert.deepEqual(
      planBatches([], strategy({ canary: { size: 1, then: 'pause' } })),
      { batches: [], partitioned: [], maxUnavailable: 0 },
    );
  });

  it('orders by priority, highest first, unlabelled and non-numeric last', () => {
    const values = ['5', undefined, '10', 'high', '-1', '10'];
    const input = pods(values.length, (i): Record<string, string> =>
      values[i] === undefined ? {} : { [PRIORITY]: values[i] as string },
    );
    const plan = planBatches(
      input,
      strategy({
        maxUnavailable: 100,
        order: { by: 'priority', label: PRIORITY },
      }),
    );
    assert.deepEqual(plan.batches, [
      [
        'c/ns/pod-002',
        'c/ns/pod-005',
        'c/ns/pod-000',
        'c/ns/pod-004',
        'c/ns/pod-001',
        'c/ns/pod-003',
      ],
    ]);
  });

  it('scatters batches across zones', () => {
    const zones = ['b', 'a', 'a', 'c', 'a', 'b', 'a'];
    const input = pods(zones.length, i => ({ [ZONE]: zones[i] as string }));
    const plan = planBatches(
      input,
      strategy({
        maxUnavailable: 3,
        order: { by: 'scatter', topologyKey: ZONE },
      }),
    );
    assert.deepEqual(plan.batches, [
      ['c/ns/pod-001', 'c/ns/pod-000', 'c/ns/pod-003'],
      ['c/ns/pod-002', 'c/ns/pod-005', 'c/ns/pod-004'],
      ['c/ns/pod-006'],
    ]);
  });

  it('refuses duplicate pod keys', () => {
    assert.throws(
      () => planBatches([...pods(2), ...pods(1)], strategy({})),
      /listed twice/,
    );
  });

  it('never puts more than maxUnavailable pods in a batch, nor an empty batch', () => {
    fc.assert(
      fc.property(planArbitrary, ({ plan }) => {
        for (const batch of plan.batches) {
          assert.ok(
            batch.length >= 1 && batch.length <= plan.maxUnavailable,
            `batch of ${batch.length}, max ${plan.maxUnavailable}`,
          );
        }
      }),
    );
  });

  it('resolves maxUnavailable against all pods, rounding down but at least 1', () => {
    fc.assert(
      fc.property(planArbitrary, ({ input, s, plan }) => {
        const expected =
          input.length === 0
            ? 0
            : Math.min(
                input.length,
                Math.max(1, percentOf(s.maxUnavailable, input.length, 'down')),
              );
        assert.equal(plan.maxUnavailable, expected);
      }),
    );
  });

  it('plans every pod exactly once, either in a batch or in the partition', () => {
    fc.assert(
      fc.property(planArbitrary, ({ input, plan }) => {
        const planned = fullOrder(plan);
        assert.equal(
          new Set(planned).size,
          planned.length,
          'a pod appears twice',
        );
        assert.deepEqual([...planned].sort(), input.map(pod => pod.key).sort());
      }),
    );
  });

  it('leaves exactly the partition size on the old version, taken from the end of the order', () => {
    fc.assert(
      fc.property(planArbitrary, ({ input, s, plan }) => {
        const expected =
          s.partition === undefined
            ? 0
            : Math.min(
                input.length,
                percentOf(s.partition, input.length, 'down'),
              );
        assert.equal(plan.partitioned.length, expected);
        assert.deepEqual(
          fullOrder(plan),
          orderPods(input, s.order).map(pod => pod.key),
        );
      }),
    );
  });

  it('follows the chosen order', () => {
    fc.assert(
      fc.property(planArbitrary, ({ input, s, plan }) => {
        const order = fullOrder(plan);
        const labelsOf = new Map(input.map(pod => [pod.key, pod.labels]));
        for (let i = 1; i < order.length; i++) {
          const [previous, current] = [
            order[i - 1] as string,
            order[i] as string,
          ];
          if (s.order.by === 'name') assert.ok(previous < current);
          if (s.order.by === 'priority') {
            const priority = (key: string) => {
              const value = labelsOf.get(key)?.[PRIORITY];
              return value !== undefined && /^-?\d+(\.\d+)?$/.test(value)
                ? Number(value)
                : -Infinity;
            };
            assert.ok(
              priority(previous) > priority(current) ||
                (priority(previous) === priority(current) &&
                  previous < current),
            );
          }
        }
      }),
    );
  });

  it('makes the canary the first batch, of min(canary rounded up, maxUnavailable) pods', () => {
    fc.assert(
      fc.property(planArbitrary, ({ input, s, plan }) => {
        const planned = input.length - plan.partitioned.length;
        if (s.canary === undefined || planned === 0) {
          for (const batch of plan.batches.slice(0, -1))
            assert.equal(batch.length, plan.maxUnavailable);
          return;
        }
        const canary = Math.min(
          percentOf(s.canary.size, input.length, 'up'),
          plan.maxUnavailable,
          planned,
        );
        assert.equal(plan.batches[0]?.length, canary);
        for (const batch of plan.batches.slice(1, -1))
          assert.equal(batch.length, plan.maxUnavailable);
      }),
    );
  });

  it('gives the same plan whatever the input order', () => {
    fc.assert(
      fc.property(
        planArbitrary.chain(({ input, s, plan }) =>
          fc
            .shuffledSubarray(input, {
              minLength: input.length,
              maxLength: input.length,
            })
            .map(shuffled => ({ shuffled, s, plan })),
        ),
        ({ shuffled, s, plan }) => {
          assert.deepEqual(planBatches(shuffled, s), plan);
        },
      ),
    );
  });

  describe('scatter', () => {
    const scatterArbitrary = fc
      .tuple(podArbitrary, strategyArbitrary)
      .map(([input, s]) => ({
        input,
        s: { ...s, order: { by: 'scatter' as const, topologyKey: ZONE } },
      }))
      .map(({ input, s }) => ({ input, plan: planBatches(input, s) }));

    const zoneOf = (input: readonly PlannablePod[]) => {
      const zones = new Map(
        input.map(pod => [pod.key, pod.labels[ZONE] ?? '']),
      );
      return (key: string) => zones.get(key) ?? '';
    };

    it('takes consecutive pods from different zones while more than one zone has pods left', () => {
      fc.assert(
        fc.property(scatterArbitrary, ({ input, plan }) => {
          const zone = zoneOf(input);
          const order = fullOrder(plan).map(zone);
          for (let i = 1; i < order.length; i++) {
            if (order[i] === order[i - 1]) {
              assert.ok(
                order.slice(i).every(z => z === order[i]),
                `zone ${order[i]} repeats at ${i} while others remain: ${order.join(' ')}`,
              );
            }
          }
        }),
      );
    });

    // While two zones both still have pods after a batch, each round of the order took one pod
    // from each, so the batch holds as many pods from one as from the other, give or take one.
    it('balances every batch across the zones that still have pods after it', () => {
      fc.assert(
        fc.property(scatterArbitrary, ({ input, plan }) => {
          const zone = zoneOf(input);
          const order = fullOrder(plan);
          let end = 0;
          for (const batch of plan.batches) {
            end += batch.length;
            const remaining = new Set(order.slice(end - 1).map(zone));
            const counts = new Map<string, number>(
              [...remaining].map(z => [z, 0]),
            );
            for (const key of batch)
              if (counts.has(zone(key)))
                counts.set(zone(key), (counts.get(zone(key)) ?? 0) + 1);
            const values = [...counts.values()];
            assert.ok(
              Math.max(...values) - Math.min(...values) <= 1,
              `batch ${batch.map(zone).join(' ')} unbalanced`,
            );
            assert.ok(
              Math.max(...values) <= Math.ceil(batch.length / remaining.size),
            );
          }
        }),
      );
    });
  });
});
