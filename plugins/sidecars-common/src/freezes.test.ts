import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  activeFreeze,
  describeFreeze,
  freezeRefusal,
  freezesInScope,
  upcomingFreezes,
  type FreezeWindow,
} from './freezes';

const at = (iso: string) => new Date(iso);

const yearEnd: FreezeWindow = {
  name: 'year-end',
  start: '2026-12-20T00:00:00Z',
  end: '2027-01-04T00:00:00Z',
};
const prodRelease: FreezeWindow = {
  name: 'prod-release',
  start: '2026-12-01T08:00:00Z',
  end: '2026-12-01T20:00:00Z',
  clusters: ['prod-eu'],
};
const paymentsAudit: FreezeWindow = {
  name: 'payments-audit',
  start: '2026-12-10T00:00:00+01:00',
  end: '2026-12-11T00:00:00+01:00',
  clusters: ['prod-eu', 'prod-us'],
  namespaces: ['payments'],
};
const all = [yearEnd, prodRelease, paymentsAudit];
const names = (freezes: readonly FreezeWindow[]) => freezes.map(f => f.name);

describe('freezesInScope', () => {
  it('a campaign over all clusters and namespaces is held by every freeze', () => {
    assert.deepEqual(names(freezesInScope(all, {})), names(all));
  });

  it('a cluster-scoped freeze holds only campaigns that may touch that cluster', () => {
    assert.deepEqual(names(freezesInScope(all, { clusters: ['staging'] })), [
      'year-end',
    ]);
    assert.deepEqual(
      names(freezesInScope(all, { clusters: ['staging', 'prod-eu'] })),
      names(all),
    );
  });

  it('a freeze scoped by cluster and namespace needs both to meet the campaign', () => {
    assert.deepEqual(
      names(
        freezesInScope(all, { clusters: ['prod-us'], namespaces: ['shop'] }),
      ),
      ['year-end'],
    );
    assert.deepEqual(
      names(
        freezesInScope(all, {
          clusters: ['prod-us'],
          namespaces: ['shop', 'payments'],
        }),
      ),
      ['year-end', 'payments-audit'],
    );
    // No clusters in the selector: every cluster, so prod-us and prod-eu too.
    assert.deepEqual(
      names(freezesInScope(all, { namespaces: ['payments'] })),
      names(all),
    );
  });
});

describe('activeFreeze', () => {
  it('is undefined outside every freeze, and at the end instant (a freeze is [start, end))', () => {
    assert.equal(activeFreeze(all, at('2026-11-30T12:00:00Z')), undefined);
    assert.equal(activeFreeze(all, at('2026-12-01T20:00:00Z')), undefined);
    assert.equal(activeFreeze([], at('2026-12-24T00:00:00Z')), undefined);
  });

  it('names the freeze in effect and when it ends, from its start instant on', () => {
    assert.deepEqual(activeFreeze(all, at('2026-12-01T08:00:00Z')), {
      name: 'prod-release',
      until: '2026-12-01T20:00:00.000Z',
    });
    // Offsets are instants: +01:00 midnight is 23:00 UTC the day before.
    assert.deepEqual(activeFreeze(all, at('2026-12-09T23:30:00Z')), {
      name: 'payments-audit',
      until: '2026-12-10T23:00:00.000Z',
    });
  });

  it('joins freezes that overlap or follow one another, up to the last end, and names that one', () => {
    const chain: FreezeWindow[] = [
      { name: 'a', start: '2026-12-01T00:00:00Z', end: '2026-12-02T00:00:00Z' },
      { name: 'b', start: '2026-12-01T12:00:00Z', end: '2026-12-03T00:00:00Z' },
      { name: 'c', start: '2026-12-03T00:00:00Z', end: '2026-12-04T00:00:00Z' },
      { name: 'd', start: '2026-12-04T00:00:01Z', end: '2026-12-05T00:00:00Z' },
    ];
    assert.deepEqual(activeFreeze(chain, at('2026-12-01T01:00:00Z')), {
      name: 'c',
      until: '2026-12-04T00:00:00.000Z',
    });
  });

  it('reads as the campaign status says it', () => {
    const freeze = activeFreeze(all, at('2026-12-24T00:00:00Z'));
    assert.ok(freeze);
    assert.equal(
      describeFreeze(freeze),
      'frozen until 2027-01-04T00:00:00.000Z (year-end)',
    );
  });
});

describe('upcomingFreezes', () => {
  it('leaves out the freezes that have ended, and lists the rest by start', () => {
    assert.deepEqual(
      names(
        upcomingFreezes(
          [yearEnd, paymentsAudit, prodRelease],
          at('2026-12-05T00:00:00Z'),
        ),
      ),
      ['payments-audit', 'year-end'],
    );
  });
});

describe('freezeRefusal', () => {
  it('refuses a campaign whose first batch falls in a freeze, naming it and the fix', () => {
    const refusal = freezeRefusal(all, at('2026-12-24T00:00:00Z'));
    assert.match(refusal ?? '', /during the freeze "year-end"/);
    assert.match(
      refusal ?? '',
      /set schedule\.notBefore to 2027-01-04T00:00:00\.000Z or later/,
    );
  });

  it('accepts a campaign that starts before a freeze (it waits through it) or after it', () => {
    assert.equal(freezeRefusal(all, at('2026-12-19T23:59:59Z')), undefined);
    assert.equal(freezeRefusal(all, at('2027-01-04T00:00:00Z')), undefined);
  });
});
