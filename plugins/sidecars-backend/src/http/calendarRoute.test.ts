import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  CalendarResponse,
  CampaignPhase,
  CampaignSpec,
  CampaignStatus,
  FreezeWindow,
} from '@internal/plugin-sidecars-common';
import {
  loadContract,
  type ContractCheck,
} from '../__testUtils__/contractCheck';
import { routerWithFakes } from '../__testUtils__/routerFakes';
import { progressCounts } from '../__testUtils__/campaignCounts';
import {
  answerTo,
  contractVerdicts,
  type BadQuery,
} from '../__testUtils__/badQueries';
import type { CampaignRecord } from '../campaigns/service';

const HOUR_MS = 60 * 60 * 1000;
const inHours = (hours: number) =>
  new Date(Date.now() + hours * HOUR_MS).toISOString();

const freezes: FreezeWindow[] = [
  { name: 'release-week', start: inHours(48), end: inHours(96) },
  {
    name: 'staging-rebuild',
    start: inHours(24),
    end: inHours(30),
    clusters: ['staging'],
  },
  { name: 'long-gone', start: inHours(-96), end: inHours(-48) },
];

function record(
  id: string,
  phase: CampaignPhase,
  schedule: CampaignSpec['schedule'],
  upgraded = 0,
): CampaignRecord {
  const spec = {
    container: 'istio-proxy',
    targetImage: 'docker.io/istio/proxyv2:1.23.1',
    selector: { clusters: ['local'], namespaces: ['shop'] },
    ...(schedule ? { schedule } : {}),
  } as CampaignSpec;
  const startedAt = inHours(-2);
  const status: CampaignStatus = {
    campaignId: id,
    phase,
    spec,
    counts: progressCounts(upgraded, 10),
    currentBatch: null,
    totalBatches: 10,
    batches: [],
    events: [],
    failures: [],
    startedAt,
    updatedAt: startedAt,
  };
  return {
    summary: {
      id,
      phase,
      container: spec.container,
      targetImage: spec.targetImage,
      startedAt,
      counts: status.counts,
    },
    status,
    open: true,
    source: 'worker',
  };
}

const records = [
  record('running', 'Running', undefined, 5),
  record('scheduled', 'Scheduled', {
    notBefore: inHours(24),
    windows: [{ cron: '0 22 * * *', durationMinutes: 120, timeZone: 'UTC' }],
  }),
  { ...record('done', 'Completed', undefined, 10), open: true },
];

function calendarRouter(
  permission:
    AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  return routerWithFakes({
    permission,
    freezes,
    campaigns: {
      listWatched: async () => ({
        snapshots: records.map(r => ({ summary: r.summary, open: r.open })),
        truncated: false,
      }),
      find: async id => records.find(r => r.summary.id === id),
    },
  });
}

const bad: BadQuery[] = [
  {
    name: 'a from that is no instant',
    path: '/calendar?from=tomorrow',
    field: 'from',
    says: /from must be an ISO 8601 instant with an offset, e.g. /,
    contractRejects: true,
  },
  {
    name: 'a to without an offset',
    path: '/calendar?to=2030-01-01T00:00:00',
    field: 'to',
    says: /to must be an ISO 8601 instant with an offset/,
    contractRejects: true,
  },
  {
    name: 'two froms',
    path: '/calendar?from=2030-01-01T00:00:00Z&from=2030-01-02T00:00:00Z',
    field: 'from',
    says: /from must be given once/,
    contractRejects: true,
  },
  {
    name: 'a to before from',
    path: '/calendar?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z',
    field: 'to',
    says: /to must be after from \(2030-01-02T00:00:00.000Z\): set a later to/,
    contractRejects: false,
  },
  {
    name: 'a range too long',
    path: '/calendar?from=2030-01-01T00:00:00Z&to=2030-06-01T00:00:00Z',
    field: 'to',
    says: /at most 62 days: set to at most 2030-03-04T00:00:00.000Z/,
    contractRejects: false,
  },
  {
    name: 'an unknown parameter',
    path: '/calendar?days=14',
    field: 'days',
    says: /unknown field "days".*from, to/,
    contractRejects: true,
  },
];

describe('GET /calendar', () => {
  const harness = calendarRouter();
  let contract: ContractCheck;
  beforeAll(async () => {
    contract = await loadContract();
  });

  it.each(bad.map(b => [b.name, b] as const))(
    'answers 400 naming the parameter for %s',
    async (_name, query) => {
      expect(await answerTo(harness, query)).toEqual({
        status: 400,
        message: expect.stringMatching(query.says),
      });
    },
  );

  it('has a contract that rejects the same requests, but for the ranges only the router judges', () => {
    expect(contractVerdicts(contract, bad)).toEqual(
      bad.map(b => ({ name: b.name, rejected: b.contractRejects })),
    );
  });

  it('answers the next 14 days by default, in the shape the contract documents', async () => {
    const res = await harness.client().get('/calendar').set(harness.auth);
    expect(res.status).toBe(200);
    expect(
      contract.responseProblems('get', '/calendar', 200, res.body),
    ).toEqual([]);
    const body = res.body as CalendarResponse;
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(14 * 24 * HOUR_MS);
    expect(body.truncated).toBe(false);
  });

  it('lists the freezes that meet the range, and the open campaigns still to come or under way', async () => {
    const res = await harness.client().get('/calendar').set(harness.auth);
    const body = res.body as CalendarResponse;
    expect(body.freezes.map(f => f.name)).toEqual([
      'staging-rebuild',
      'release-week',
    ]);
    expect(body.campaigns.map(c => [c.id, c.phase])).toEqual([
      ['running', 'Running'],
      ['scheduled', 'Scheduled'],
    ]);
    const [running, scheduled] = body.campaigns;
    // Half the pods in 2 hours (and the moments the test has run): 2 hours more to go.
    const took =
      Date.parse(running!.estimatedEnd!) - Date.parse(running!.start);
    expect(took).toBeGreaterThanOrEqual(4 * HOUR_MS);
    expect(took).toBeLessThan(4 * HOUR_MS + 60_000);
    expect(running!.estimate).toMatch(/^5 of 10 pods done in 2 h;/);
    expect(running!.windows).toBeUndefined();
    expect(running!.freezes).toEqual(['release-week']);
    expect(scheduled).toMatchObject({
      notBefore: records[1]!.status.spec.schedule!.notBefore,
      start: records[1]!.status.spec.schedule!.notBefore,
      estimatedEnd: null,
      estimate: expect.stringMatching(/not started yet/),
    });
  });

  it("lays out a scheduled campaign's maintenance windows: each day's 22:00–00:00 UTC opening", async () => {
    // From 01:00 UTC, well clear of a window, 14 days meet 14 openings whatever the time the test runs.
    const from = new Date();
    from.setUTCHours(25, 0, 0, 0);
    const to = new Date(from.getTime() + 14 * 24 * HOUR_MS);
    const res = await harness
      .client()
      .get(`/calendar?from=${from.toISOString()}&to=${to.toISOString()}`)
      .set(harness.auth);
    const scheduled = (res.body as CalendarResponse).campaigns.find(
      c => c.id === 'scheduled',
    );
    expect(scheduled?.windows).toHaveLength(14);
    expect(scheduled!.windows![0]).toMatchObject({
      start: expect.stringMatching(/T22:00:00.000Z$/),
      end: expect.stringMatching(/T00:00:00.000Z$/),
    });
  });

  it('leaves out the campaigns with nothing to show in the range', async () => {
    const ids = async (from: number, to: number) => {
      const res = await harness
        .client()
        .get(`/calendar?from=${inHours(from)}&to=${inHours(to)}`)
        .set(harness.auth);
      return (res.body as CalendarResponse).campaigns.map(c => c.id);
    };
    // The running campaign should end 2 hours from now; the scheduled one starts in 24.
    expect(await ids(10, 30)).toEqual(['scheduled']);
    expect(await ids(10, 20)).toEqual([]);
    expect(await ids(-100, -50)).toEqual([]);
  });

  it('answers 403 when the policy denies reading, and 401 without credentials', async () => {
    const denied = calendarRouter(AuthorizeResult.DENY);
    const res = await denied.client().get('/calendar').set(denied.auth);
    expect(res.status).toBe(403);
    expect((res.body as { permission?: string }).permission).toMatch(
      /^sidecars\./,
    );
    expect((await harness.client().get('/calendar')).status).toBe(401);
  });

  it('answers 405 to a POST', async () => {
    const post = await harness.client().post('/calendar').set(harness.auth);
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });
});
