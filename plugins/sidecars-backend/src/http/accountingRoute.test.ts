import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  ApiErrorBody,
  SidecarAccountingResponse,
} from '@internal/plugin-sidecars-common';
import {
  loadContract,
  type ContractCheck,
} from '../__testUtils__/contractCheck';
import { routerWithFakes } from '../__testUtils__/routerFakes';

interface BadQuery {
  name: string;
  path: string;
  field: string;
  says: RegExp;
  /** Whether the contract alone can tell the request is bad (a sidecar nobody runs it cannot). */
  contractRejects: boolean;
}

const bad: BadQuery[] = [
  {
    name: 'no sidecar',
    path: '/accounting',
    field: 'sidecar',
    says: /sidecar is required/,
    contractRejects: true,
  },
  {
    name: 'an invalid container name',
    path: '/accounting?sidecar=Istio_Proxy',
    field: 'sidecar',
    says: /container name/,
    contractRejects: true,
  },
  {
    name: 'two sidecars',
    path: '/accounting?sidecar=istio-proxy&sidecar=fluent-bit',
    field: 'sidecar',
    says: /./,
    contractRejects: true,
  },
  {
    name: 'an unknown groupBy',
    path: '/accounting?sidecar=istio-proxy&groupBy=owner',
    field: 'groupBy',
    says: /groupBy must be one of cluster, namespace, team/,
    contractRejects: true,
  },
  {
    name: 'an unknown parameter',
    path: '/accounting?sidecar=istio-proxy&container=istio-proxy',
    field: 'container',
    says: /unknown field "container".*sidecar, groupBy/,
    contractRejects: true,
  },
  {
    name: 'a sidecar no pod runs',
    path: '/accounting?sidecar=no-such-sidecar',
    field: 'sidecar',
    says: /no pod in any cluster runs a container named "no-such-sidecar"/,
    contractRejects: false,
  },
];

describe('GET /accounting', () => {
  const harness = routerWithFakes();
  let contract: ContractCheck;
  beforeAll(async () => {
    contract = await loadContract();
  });

  it.each(bad.map(b => [b.name, b] as const))(
    'answers 400 naming the field for %s',
    async (_name, query) => {
      const res = await harness.client().get(query.path).set(harness.auth);
      expect(res.status).toBe(400);
      const body = res.body as ApiErrorBody;
      const named = body.fields?.find(f => f.field === query.field);
      expect(named?.message).toMatch(query.says);
    },
  );

  it('has a contract that rejects the same requests, except the one only the cluster can judge', () => {
    for (const query of bad)
      expect({
        name: query.name,
        rejected:
          contract.requestProblems('get', query.path, undefined).length > 0,
      }).toEqual({ name: query.name, rejected: query.contractRejects });
  });

  it.each(['team', 'cluster', 'namespace'])(
    'answers by %s with the shape the contract documents',
    async groupBy => {
      const url = `/accounting?sidecar=istio-proxy&groupBy=${groupBy}`;
      expect(contract.requestProblems('get', url, undefined)).toEqual([]);
      const res = await harness.client().get(url).set(harness.auth);
      expect(res.status).toBe(200);
      expect(contract.responseProblems('get', url, 200, res.body)).toEqual([]);
      expect((res.body as SidecarAccountingResponse).groupBy).toBe(groupBy);
    },
  );

  it("groups by team by default, the team being the catalog owner of the pods' entity", async () => {
    const res = await harness
      .client()
      .get('/accounting?sidecar=istio-proxy')
      .set(harness.auth);
    const body = res.body as SidecarAccountingResponse;
    expect(body.groupBy).toBe('team');
    expect(body.groups.map(g => [g.key, g.pods])).toEqual([
      ['group:default/team-payments', 2],
    ]);
    expect(body.fleet.requests).toEqual({
      cpuCores: 0.2,
      memoryBytes: 256 * 2 ** 20,
    });
  });

  it('answers 405 to a POST and 403 when the policy denies reading', async () => {
    const post = await harness
      .client()
      .post('/accounting?sidecar=istio-proxy')
      .set(harness.auth);
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    const denied = routerWithFakes({ permission: AuthorizeResult.DENY });
    const res = await denied
      .client()
      .get('/accounting?sidecar=istio-proxy')
      .set(denied.auth);
    expect(res.status).toBe(403);
    expect((res.body as { permission?: string }).permission).toMatch(
      /^sidecars\./,
    );
  });

  it('answers 401 without credentials', async () => {
    expect(
      (await harness.client().get('/accounting?sidecar=istio-proxy')).status,
    ).toBe(401);
  });
});
