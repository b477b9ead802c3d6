import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  inFlightCount,
  podsToStart,
  type ScheduledPod,
} from './rolling-schedule';

/** A fleet as the claim leaves it: a canary batch 0 (when there is one), held pods in batches, partitioned pods unheld. */
const fleetArbitrary = fc
  .record({
    batches: fc.array(fc.integer({ min: 1, max: 6 }), {
      minLength: 1,
      maxLength: 8,
    }),
    partitioned: fc.integer({ min: 0, max: 5 }),
    canary: fc.boolean(),
    maxUnavailable: fc.integer({ min: 1, max: 6 }),
    /** Pods an earlier attempt left in flight, by index into the held pods. */
    alreadyInFlight: fc.array(fc.nat(), { maxLength: 4 }),
  })
  .map(({ batches, partitioned, canary, maxUnavailable, alreadyInFlight }) => {
    const pods: ScheduledPod[] = batches.flatMap((size, batch) =>
      Array.from({ length: Math.min(size, maxUnavailable) }, (_, i) => ({
        key: `b${batch}-p${i}`,
        batch,
        state: 'pending' as const,
        starting: false,
      })),
    );
    const earlier = new Set(
      alreadyInFlight.map(i => i % pods.length).slice(0, maxUnavailable),
    );
    for (const i of earlier) pods[i]!.state = 'upgrading';
    for (let i = 0; i < partitioned; i++)
      pods.push({
        key: `partitioned-${i}`,
        batch: undefined,
        state: undefined,
        starting: false,
      });
    return {
      pods,
      maxUnavailable,
      range: { from: canary ? 1 : 0, to: batches.length },
    };
  });

/** How each step of the simulated world goes: which in-flight pod answers, and how. */
const stepsArbitrary = fc.array(
  fc.record({
    pick: fc.nat(),
    outcome: fc.constantFrom('upgraded', 'failed', 'slow', 'start-answers'),
  }),
  {
    minLength: 1,
    maxLength: 200,
  },
);

describe('the rolling scheduler', () => {
  it('never has more than maxUnavailable in flight, starts each pod at most once, and leaves partitioned and canary pods alone', () => {
    fc.assert(
      fc.property(
        fleetArbitrary,
        stepsArbitrary,
        ({ pods, maxUnavailable, range }, steps) => {
          const started = new Map<string, number>();
          const byKey = new Map(pods.map(pod => [pod.key, pod]));
          for (const step of steps) {
            for (const key of podsToStart(pods, range, maxUnavailable)) {
              started.set(key, (started.get(key) ?? 0) + 1);
              byKey.get(key)!.starting = true;
            }
            assert.ok(
              inFlightCount(pods) <= Math.max(maxUnavailable, 0),
              `in flight ${inFlightCount(pods)} > ${maxUnavailable}`,
            );
            const moving = pods.filter(
              pod =>
                pod.starting ||
                pod.state === 'upgrading' ||
                pod.state === 'rolling-back',
            );
            const pod = moving[step.pick % Math.max(1, moving.length)];
            if (!pod) continue;
            if (pod.starting) {
              pod.starting = false;
              pod.state = 'upgrading';
            } else if (step.outcome === 'upgraded' && pod.state === 'upgrading')
              pod.state = 'upgraded';
            else if (step.outcome === 'failed')
              pod.state = pod.state === 'upgrading' ? 'rolling-back' : 'failed';
          }
          for (const [key, times] of started) {
            assert.equal(times, 1, `${key} started ${times} times`);
            const pod = byKey.get(key)!;
            assert.ok(
              pod.batch !== undefined,
              `${key} is partitioned but was started`,
            );
            assert.ok(
              pod.batch >= range.from && pod.batch < range.to,
              `${key} in batch ${pod.batch} is outside ${range.from}..${range.to}`,
            );
          }
        },
      ),
    );
  });

  it('starts pods in batch order, filling every free slot', () => {
    fc.assert(
      fc.property(fleetArbitrary, ({ pods, maxUnavailable, range }) => {
        const chosen = podsToStart(pods, range, maxUnavailable);
        const eligible = pods.filter(
          p =>
            p.state === 'pending' &&
            p.batch !== undefined &&
            p.batch >= range.from &&
            p.batch < range.to,
        );
        assert.equal(
          chosen.length,
          Math.min(
            eligible.length,
            Math.max(0, maxUnavailable - inFlightCount(pods)),
          ),
        );
        const batches = chosen.map(
          key => pods.find(p => p.key === key)!.batch!,
        );
        assert.deepEqual(
          batches,
          [...batches].sort((a, b) => a - b),
        );
        const lastChosen = batches.at(-1);
        if (lastChosen !== undefined) {
          const skippedEarlier = eligible.filter(
            p => p.batch! < lastChosen && !chosen.includes(p.key),
          );
          assert.deepEqual(
            skippedEarlier,
            [],
            'no pending pod of an earlier batch waits behind a later one',
          );
        }
      }),
    );
  });
});
