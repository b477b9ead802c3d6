import { PodIndex } from './podIndex';
import type { TrimmedPod } from './trimmedPod';

function pod(
  restarts: Record<string, number>,
  crashLooping: string[] = [],
  name = 'web-1',
): TrimmedPod {
  return {
    metadata: { namespace: 'shop', name, labels: { app: 'web' } },
    spec: {
      containers: Object.keys(restarts).map(c => ({ name: c, image: 'x:1' })),
    },
    status: {
      containerStatuses: Object.entries(restarts).map(([c, count]) => ({
        name: c,
        ready: !crashLooping.includes(c),
        restartCount: count,
        image: 'x:1',
        imageID: 'x',
        ...(crashLooping.includes(c)
          ? { state: { waiting: { reason: 'CrashLoopBackOff' as const } } }
          : {}),
      })),
    },
  };
}

const MINUTE = 60_000;

describe('the restart log of the pod index', () => {
  let now = Date.parse('2026-11-27T12:00:00Z');
  const index = new PodIndex(() => now);

  it('takes the first version of a pod as its baseline, and records each rise of a restartCount when it was seen', () => {
    index.upsert(pod({ app: 0, 'istio-proxy': 7 }));
    const first = pod({ app: 0, 'istio-proxy': 7 });
    expect(index.restarts.history(first, 'istio-proxy').restarts).toEqual([]);
    now += MINUTE;
    index.upsert(pod({ app: 0, 'istio-proxy': 9 }));
    now += 10 * MINUTE;
    index.upsert(pod({ app: 1, 'istio-proxy': 10 }, ['istio-proxy']));
    const latest = pod({ app: 1, 'istio-proxy': 10 }, ['istio-proxy']);
    expect(index.restarts.history(latest, 'istio-proxy')).toEqual({
      restarts: [
        { at: now - 10 * MINUTE, count: 2 },
        { at: now, count: 1 },
      ],
      crashLoopingNow: true,
    });
    expect(index.restarts.history(latest, 'app').restarts).toEqual([
      { at: now, count: 1 },
    ]);
  });

  it('keeps restarts within one minute in one record, and none older than a day', () => {
    now += 10_000;
    index.upsert(pod({ app: 1, 'istio-proxy': 12 }));
    expect(
      index.restarts.history(pod({ app: 1 }), 'istio-proxy').restarts,
    ).toEqual([
      { at: now - 10 * MINUTE - 10_000, count: 2 },
      { at: now - 10_000, count: 3 },
    ]);
    now += 25 * 60 * MINUTE;
    expect(
      index.restarts.history(pod({ app: 1 }), 'istio-proxy').restarts,
    ).toEqual([]);
  });

  it("forgets a deleted pod's restarts, and a new pod of the same name starts from its baseline", () => {
    now += MINUTE;
    index.upsert(pod({ app: 1, 'istio-proxy': 13 }));
    expect(
      index.restarts.history(pod({ app: 1 }), 'istio-proxy').restarts,
    ).toHaveLength(1);
    index.remove(pod({}));
    index.upsert(pod({ app: 0, 'istio-proxy': 40 }));
    expect(
      index.restarts.history(pod({ app: 0 }), 'istio-proxy').restarts,
    ).toEqual([]);
  });
});
