/**
 * @jest-environment node
 */
import { http, HttpResponse, type JsonBodyType } from 'msw';
// The contract lives with the backend that serves it; the client is checked against the same file.
import {
  loadContract,
  type ContractCheck,
} from '@internal/plugin-sidecars-backend/testUtils';
import {
  SIDECARS_URL,
  backend,
  setUpFakeBackend,
} from '../__testUtils__/backend';
import {
  campaignDetail,
  campaignSummary,
  fleet,
  inventory,
  plan,
} from '../__testUtils__/fixtures';
import { SidecarsClient } from './SidecarsClient';

setUpFakeBackend();

interface Sent {
  method: string;
  url: string;
  body: unknown;
}

/** What the fake backend answers each operation: the portal's fixtures, which must fit the contract too. */
function answerFor(
  method: string,
  path: string,
): { status: number; body: JsonBodyType } {
  if (path === '/inventory') return { status: 200, body: inventory() };
  if (path === '/inventory/fleet') return { status: 200, body: fleet() };
  if (path === '/campaigns/plan') return { status: 200, body: plan([1, 2]) };
  if (path === '/campaigns')
    return method === 'POST'
      ? { status: 201, body: campaignSummary() }
      : { status: 200, body: { items: [campaignSummary()] } };
  if (/^\/campaigns\/[^/]+\/(pause|resume|rollback|abort)$/.test(path)) {
    return {
      status: 202,
      body: {
        ...campaignDetail(),
        control: {
          action: 'pause',
          outcome: 'applied',
          message: 'the campaign recorded the pause',
        },
      },
    };
  }
  return { status: 200, body: campaignDetail() };
}

describe('SidecarsClient against the OpenAPI contract', () => {
  let contract: ContractCheck;
  const sent: Sent[] = [];
  const answered: Array<Sent & { status: number; answer: unknown }> = [];

  beforeAll(async () => {
    contract = await loadContract();
  });

  beforeEach(() => {
    sent.length = 0;
    answered.length = 0;
    backend.use(
      http.all(`${SIDECARS_URL}/*`, async ({ request }) => {
        const url = new URL(request.url);
        const path = url.pathname.slice(new URL(SIDECARS_URL).pathname.length);
        const text = await request.text();
        const call = {
          method: request.method,
          url: `${path}${url.search}`,
          body: text ? JSON.parse(text) : undefined,
        };
        sent.push(call);
        const { status, body } = answerFor(request.method, path);
        answered.push({ ...call, status, answer: body });
        return HttpResponse.json(body, { status });
      }),
    );
  });

  const client = new SidecarsClient({
    discoveryApi: {
      getBaseUrl: async pluginId => `http://localhost:7007/api/${pluginId}`,
    },
    fetchApi: { fetch: (input, init) => globalThis.fetch(input, init) },
  });
  const spec = {
    container: 'istio-proxy',
    targetImage: 'docker.io/istio/proxyv2:1.24.2',
    selector: { entityRef: 'component:default/checkout' },
  };

  it('sends only requests the contract describes, and the portal’s fixtures fit its answers', async () => {
    await client.getInventory('component:default/checkout');
    await client.getFleet('istio-proxy');
    const preview = await client.planCampaign(spec);
    await client.createCampaign(spec, preview.fingerprint);
    await client.createCampaign(spec);
    await client.listCampaigns({
      phase: 'Paused',
      container: 'istio-proxy',
      entityRef: 'component:default/checkout',
      pageSize: 25,
      nextPageToken: 'abc',
    });
    await client.getCampaign('istio-proxy-1-24-2-abcdef');
    for (const action of ['pause', 'resume', 'rollback', 'abort'] as const)
      await client.controlCampaign(
        'istio-proxy-1-24-2-abcdef',
        action,
        'incident 42',
      );

    expect(sent).toHaveLength(11);
    expect(
      sent.map(call => ({
        call: `${call.method} ${call.url}`,
        problems: contract.requestProblems(call.method, call.url, call.body),
      })),
    ).toEqual(
      sent.map(call => ({ call: `${call.method} ${call.url}`, problems: [] })),
    );
    expect(
      answered.map(a => ({
        call: `${a.method} ${a.url}`,
        problems: contract.responseProblems(
          a.method,
          a.url,
          a.status,
          a.answer,
        ),
      })),
    ).toEqual(
      answered.map(a => ({ call: `${a.method} ${a.url}`, problems: [] })),
    );
  });
});
