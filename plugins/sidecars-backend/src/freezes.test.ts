import { ConfigReader } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import {
  parseCampaignSpec,
  type ApiErrorBody,
  type CampaignSpec,
  type FreezeWindow,
  type PlanResponse,
} from '@internal/plugin-sidecars-common';
import type { Client } from '@temporalio/client';
import { campaignFreezes } from './campaigns/freezes';
import { CampaignService } from './campaigns/service';
import { readSidecarsSettings } from './config';
import { parseFreezes } from './freezeConfig';
import { routerWithFakes } from './__testUtils__/routerFakes';

const yearEnd: FreezeWindow = {
  name: 'year-end',
  start: '2029-12-20T00:00:00Z',
  end: '2030-01-04T00:00:00Z',
};
const stagingOnly: FreezeWindow = {
  name: 'staging-rebuild',
  start: '2029-12-01T00:00:00Z',
  end: '2029-12-02T00:00:00Z',
  clusters: ['staging'],
};

describe('sidecars.freezes at startup', () => {
  const read = (freezes: unknown) =>
    readSidecarsSettings(
      new ConfigReader({
        sidecars: {
          clusters: [
            { name: 'local', authProvider: 'kubeconfig' },
            { name: 'staging', authProvider: 'kubeconfig' },
          ],
          freezes: freezes as JsonValue | undefined,
        },
      }),
    ).freezes;

  it('reads the freezes, with their optional scope', () => {
    expect(read([yearEnd, stagingOnly])).toEqual([yearEnd, stagingOnly]);
    expect(read(undefined)).toEqual([]);
  });

  it.each([
    [
      'an end before its start',
      [yearEnd, { ...stagingOnly, end: '2029-11-30T00:00:00Z' }],
      'sidecars.freezes[1] ("staging-rebuild").end (2029-11-30T00:00:00Z) is not after its start (2029-12-01T00:00:00Z): a freeze covers [start, end), so set end later than start',
    ],
    [
      'a start that is no instant',
      [{ ...yearEnd, start: '2029-12-20' }],
      'sidecars.freezes[0] ("year-end").start must be an ISO 8601 instant with an offset, got "2029-12-20": write e.g. "2026-12-20T00:00:00Z" (quote it in YAML)',
    ],
    [
      'a missing name',
      [{ start: yearEnd.start, end: yearEnd.end }],
      'sidecars.freezes[0].name must be a non-empty text, got undefined: name the freeze, e.g. "year-end"',
    ],
    [
      'an unknown cluster',
      [{ ...stagingOnly, clusters: ['stagin'] }],
      'sidecars.freezes[0] ("staging-rebuild").clusters names unknown cluster(s) stagin, so the freeze would hold nothing there: use configured clusters (local, staging)',
    ],
    [
      'an empty namespace list',
      [{ ...yearEnd, namespaces: [] }],
      'sidecars.freezes[0] ("year-end").namespaces must be a non-empty list of names, got []: list them, or omit namespaces to cover all',
    ],
    [
      'a misspelt field',
      [{ ...yearEnd, cluster: ['local'] }],
      'sidecars.freezes[0] has unknown field(s) cluster: a freeze has name, start, end, clusters, namespaces',
    ],
    [
      'a name used twice',
      [yearEnd, { ...yearEnd }],
      'sidecars.freezes[1].name "year-end" is used by an earlier freeze too: give each freeze its own name, as campaigns report it',
    ],
  ])(
    'stops the backend on %s, naming the entry, the field and the fix',
    (_, freezes, message) => {
      expect(() => read(freezes)).toThrow(message);
    },
  );

  it('refuses a freezes value that is no list', () => {
    expect(() => parseFreezes({ name: 'x' }, [])).toThrow(
      /^sidecars\.freezes must be a list of freezes/,
    );
  });
});

describe('freezes on the plan and the start', () => {
  const spec = (notBefore: string) => ({
    container: 'istio-proxy',
    targetImage: 'docker.io/istio/proxyv2:1.23.1',
    selector: { namespaces: ['shop'], clusters: ['local'] },
    schedule: { notBefore },
  });

  const routerWithFreezes = () =>
    routerWithFakes({ freezes: [yearEnd, stagingOnly] });

  it('refuses with a 400 a start whose first batch falls in a freeze, naming the freeze and the fix', async () => {
    const { client, auth, starts } = routerWithFreezes();
    const res = await client()
      .post('/campaigns')
      .set(auth)
      .send({ spec: spec('2029-12-24T09:00:00+01:00') });
    expect(res.status).toBe(400);
    expect((res.body as ApiErrorBody).fields).toEqual([
      {
        field: 'schedule.notBefore',
        message:
          'the campaign would start during the freeze "year-end", which lasts until 2030-01-04T00:00:00.000Z, and could start no batch before then: set schedule.notBefore to 2030-01-04T00:00:00.000Z or later, or wait until the freeze ends',
      },
    ]);
    expect(starts).toEqual([]);
  });

  it('starts a campaign that begins before a freeze, giving the workflow the freezes of its scope', async () => {
    const { client, auth, starts } = routerWithFreezes();
    const res = await client()
      .post('/campaigns')
      .set(auth)
      .send({ spec: spec('2029-11-01T00:00:00Z') });
    expect(res.status).toBe(201);
    // staging-rebuild covers another cluster, so it does not hold this campaign.
    expect(starts.map(s => s.freezes)).toEqual([[yearEnd]]);
  });

  it('lists the freezes that will hold the campaign on the plan, and warns when it would be refused', async () => {
    const { client, auth } = routerWithFreezes();
    const planFrom = async (notBefore: string) =>
      (
        await client()
          .post('/campaigns/plan')
          .set(auth)
          .send({ spec: spec(notBefore) })
      ).body as PlanResponse;

    const before = await planFrom('2029-11-01T00:00:00Z');
    expect(before.freezes).toEqual([yearEnd]);
    expect(before.warnings.some(w => w.includes('year-end'))).toBe(false);

    const inside = await planFrom('2029-12-24T00:00:00Z');
    expect(inside.freezes).toEqual([yearEnd]);
    expect(inside.warnings).toContainEqual(
      expect.stringContaining(
        'the campaign would start during the freeze "year-end"',
      ),
    );

    const after = await planFrom('2030-01-04T00:00:00Z');
    expect(after.freezes).toEqual([]);
  });
});

describe("the freezes sent to running campaigns at the backend's start", () => {
  const specIn = (clusters: string[]): CampaignSpec => {
    const parsed = parseCampaignSpec({
      container: 'istio-proxy',
      targetImage: 'docker.io/istio/proxyv2:1.23.1',
      selector: { clusters, namespaces: ['shop'] },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return parsed.spec;
  };

  it('sends each running campaign the freezes of its scope, and lists only running campaigns of its task queue', async () => {
    const queries: string[] = [];
    const sent: Array<{ id: string; signal: string; freezes: unknown }> = [];
    const running = [
      { workflowId: 'in-staging', memo: { spec: specIn(['staging']) } },
      { workflowId: 'in-local', memo: { spec: specIn(['local']) } },
      { workflowId: 'without-memo', memo: {} },
    ];
    const client = {
      workflow: {
        list: ({ query }: { query: string }) => {
          queries.push(query);
          return (async function* listed() {
            yield* running;
          })();
        },
        getHandle: (id: string) => ({
          signal: async (signal: { name: string }, freezes: unknown) => {
            sent.push({ id, signal: signal.name, freezes });
          },
        }),
      },
    } as unknown as Client;
    const service = new CampaignService(client, {
      address: 'localhost:7233',
      namespace: 'default',
      taskQueue: 'sidecar-campaigns',
      webUiUrl: 'http://localhost:8233',
    });

    const count = await service.sendFreezes(
      spec =>
        campaignFreezes(
          [yearEnd, stagingOnly],
          spec,
          new Date('2029-11-01T00:00:00Z'),
        ).freezes,
    );
    expect(count).toBe(2);
    expect(queries).toEqual([
      "WorkflowType = 'sidecarCampaign' AND TaskQueue = 'sidecar-campaigns' AND ExecutionStatus = 'Running'",
    ]);
    expect(sent).toEqual([
      { id: 'in-staging', signal: 'freezes', freezes: [stagingOnly, yearEnd] },
      { id: 'in-local', signal: 'freezes', freezes: [yearEnd] },
    ]);
  });
});
