import { PodIndex } from './podIndex';
import type { TrimmedPod } from './trimmedPod';

function pod(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  image = 'proxy:1',
): TrimmedPod {
  return {
    metadata: { namespace, name, labels },
    spec: { containers: [{ name: 'proxy', image }] },
    status: {},
  };
}

const names = (pods: TrimmedPod[]) =>
  pods.map(p => `${p.metadata.namespace}/${p.metadata.name}`).sort();

describe('PodIndex', () => {
  const build = () => {
    const index = new PodIndex();
    index.upsert(
      pod('payments', 'ledger-1', { app: 'ledger', tier: 'backend' }),
    );
    index.upsert(
      pod('payments', 'ledger-2', { app: 'ledger', tier: 'backend' }),
    );
    index.upsert(pod('staging', 'ledger-3', { app: 'ledger' }));
    index.upsert(pod('payments', 'api-1', { app: 'api', tier: 'frontend' }));
    return index;
  };

  it('selects by equality, in-sets, set-based requirements and namespaces', () => {
    const index = build();
    expect(names(index.select({ labelSelector: 'app=ledger' }))).toEqual([
      'payments/ledger-1',
      'payments/ledger-2',
      'staging/ledger-3',
    ]);
    expect(
      names(
        index.select({ labelSelector: 'app=ledger', namespaces: ['staging'] }),
      ),
    ).toEqual(['staging/ledger-3']);
    expect(
      names(index.select({ labelSelector: 'app in (ledger, api),tier' })),
    ).toEqual(['payments/api-1', 'payments/ledger-1', 'payments/ledger-2']);
    expect(
      names(index.select({ labelSelector: 'app=ledger,tier!=backend' })),
    ).toEqual(['staging/ledger-3']);
    // No equality to look up: the namespace's pods, or every pod, are filtered instead.
    expect(
      names(
        index.select({
          labelSelector: 'tier notin (backend)',
          namespaces: ['payments'],
        }),
      ),
    ).toEqual(['payments/api-1']);
    expect(names(index.select({ labelSelector: '!tier' }))).toEqual([
      'staging/ledger-3',
    ]);
    expect(index.select({ labelSelector: 'app=nothing' })).toEqual([]);
  });

  it('moves a pod between buckets when its labels change, and forgets a deleted one', () => {
    const index = build();
    expect(
      index.upsert(pod('payments', 'ledger-2', { app: 'api' }, 'proxy:2'))
        ?.metadata.labels,
    ).toEqual({ app: 'ledger', tier: 'backend' });
    expect(names(index.select({ labelSelector: 'app=ledger' }))).toEqual([
      'payments/ledger-1',
      'staging/ledger-3',
    ]);
    expect(
      index
        .select({ labelSelector: 'app=api' })
        .map(p => p.spec.containers[0]!.image)
        .sort(),
    ).toEqual(['proxy:1', 'proxy:2']);
    expect(
      index.remove(pod('staging', 'ledger-3', {}))?.metadata.labels,
    ).toEqual({ app: 'ledger' });
    expect(index.remove(pod('staging', 'ledger-3', {}))).toBeUndefined();
    expect(names(index.select({ labelSelector: 'app=ledger' }))).toEqual([
      'payments/ledger-1',
    ]);
    expect(index.size).toBe(3);
    expect(names([...index.all()])).toEqual([
      'payments/api-1',
      'payments/ledger-1',
      'payments/ledger-2',
    ]);
  });

  it('counts changes, so a view computed from it knows when it is stale', () => {
    const index = build();
    const before = index.version;
    index.remove(pod('payments', 'nobody', {}));
    expect(index.version).toBe(before);
    index.upsert(pod('payments', 'ledger-1', { app: 'ledger' }, 'proxy:2'));
    expect(index.version).toBeGreaterThan(before);
  });

  it('selects nothing for an unparsable selector', () => {
    expect(build().select({ labelSelector: 'app in (' })).toEqual([]);
  });
});
