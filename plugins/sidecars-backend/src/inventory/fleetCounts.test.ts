import { FleetCounts } from './fleetCounts';
import type { TrimmedPod } from './trimmedPod';

function pod(
  namespace: string,
  name: string,
  proxy: string,
  native?: string,
): TrimmedPod {
  return {
    metadata: { namespace, name },
    spec: {
      containers: [
        { name: 'app', image: 'app:1' },
        { name: 'istio-proxy', image: proxy },
      ],
      ...(native
        ? {
            initContainers: [
              { name: 'migrate', image: 'migrate:1' },
              {
                name: 'cloud-sql-proxy',
                image: native,
                restartPolicy: 'Always',
              },
            ],
          }
        : {}),
    },
    status: {},
  };
}

const rows = (counts: FleetCounts, container: string) =>
  [...(counts.snapshot().get(container)?.values() ?? [])]
    .map(r => `${r.cluster}/${r.namespace} ${r.version}: ${r.pods}`)
    .sort();

describe('FleetCounts', () => {
  it('counts long-running containers per namespace and image, native sidecars included', () => {
    const counts = new FleetCounts('prod');
    counts.add(pod('a', '1', 'proxy:1.22.3', 'csql:2.8.2'));
    counts.add(pod('a', '2', 'proxy:1.22.3'));
    counts.add(pod('b', '3', 'proxy:1.23.1'));
    expect(rows(counts, 'istio-proxy')).toEqual([
      'prod/a 1.22.3: 2',
      'prod/b 1.23.1: 1',
    ]);
    expect(rows(counts, 'cloud-sql-proxy')).toEqual(['prod/a 2.8.2: 1']);
    expect(counts.snapshot().has('migrate')).toBe(false);
  });

  it('follows an image change as a removal and an addition, and drops rows that reach zero', () => {
    const counts = new FleetCounts('prod');
    const before = pod('a', '1', 'proxy:1.22.3', 'csql:2.8.2');
    counts.add(before);
    counts.add(pod('a', '2', 'proxy:1.22.3'));
    counts.remove(before);
    counts.add(pod('a', '1', 'proxy:1.23.1'));
    expect(rows(counts, 'istio-proxy')).toEqual([
      'prod/a 1.22.3: 1',
      'prod/a 1.23.1: 1',
    ]);
    expect(counts.snapshot().has('cloud-sql-proxy')).toBe(false);
  });

  it('hands out snapshots that later changes do not alter', () => {
    const counts = new FleetCounts('prod');
    counts.add(pod('a', '1', 'proxy:1'));
    const snapshot = counts.snapshot();
    counts.add(pod('a', '2', 'proxy:1'));
    expect([...snapshot.get('istio-proxy')!.values()][0]!.pods).toBe(1);
  });
});
