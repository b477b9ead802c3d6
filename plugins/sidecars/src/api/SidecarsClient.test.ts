import { http, HttpResponse } from 'msw';
import {
  SIDECARS_URL,
  apiError,
  backend,
  setUpFakeBackend,
} from '../__testUtils__/backend';
import {
  campaignDetail,
  campaignSummary,
  inventory,
} from '../__testUtils__/fixtures';
import { SidecarsApiError } from './SidecarsApiError';
import { SidecarsClient } from './SidecarsClient';

setUpFakeBackend();

const client = new SidecarsClient({
  discoveryApi: {
    getBaseUrl: async pluginId => `http://localhost:7007/api/${pluginId}`,
  },
  fetchApi: { fetch: (input, init) => globalThis.fetch(input, init) },
});

describe('SidecarsClient', () => {
  it('asks for one entity’s inventory by its ref', async () => {
    let asked: string | null = null;
    backend.use(
      http.get(`${SIDECARS_URL}/inventory`, ({ request }) => {
        asked = new URL(request.url).searchParams.get('entityRef');
        return HttpResponse.json(inventory());
      }),
    );
    await expect(
      client.getInventory('component:default/checkout'),
    ).resolves.toEqual(inventory());
    expect(asked).toBe('component:default/checkout');
  });

  it('sends only the list filters that are set', async () => {
    let query = '';
    backend.use(
      http.get(`${SIDECARS_URL}/campaigns`, ({ request }) => {
        query = new URL(request.url).search;
        return HttpResponse.json({ items: [campaignSummary()] });
      }),
    );
    await client.listCampaigns({
      phase: 'Paused',
      container: '',
      pageSize: 25,
    });
    expect(query).toBe('?phase=Paused&pageSize=25');
  });

  it('posts a control signal with its reason', async () => {
    let body: unknown;
    backend.use(
      http.post(
        `${SIDECARS_URL}/campaigns/campaign-1/pause`,
        async ({ request }) => {
          body = await request.json();
          return HttpResponse.json(campaignDetail({ phase: 'Paused' }), {
            status: 202,
          });
        },
      ),
    );
    const answer = await client.controlCampaign(
      'campaign-1',
      'pause',
      '  error rate up ',
    );
    expect(body).toEqual({ reason: 'error rate up' });
    expect(answer.phase).toBe('Paused');
  });

  it('turns a 400 into an error that carries the field messages', async () => {
    backend.use(
      http.post(`${SIDECARS_URL}/campaigns/plan`, () =>
        apiError(400, 'the campaign spec is invalid', [
          { field: 'targetImage', message: 'has no tag' },
        ]),
      ),
    );
    const error = await client
      .planCampaign({
        container: 'istio-proxy',
        targetImage: 'x',
        selector: {},
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(SidecarsApiError);
    expect(error.status).toBe(400);
    expect(error.message).toBe('the campaign spec is invalid');
    expect(error.fields).toEqual([
      { field: 'targetImage', message: 'has no tag' },
    ]);
  });

  it('tells what to do on a 403', async () => {
    backend.use(
      http.get(`${SIDECARS_URL}/campaigns/campaign-1`, () =>
        apiError(403, 'not allowed'),
      ),
    );
    await expect(client.getCampaign('campaign-1')).rejects.toThrow(
      /not allowed\. Ask the owners/,
    );
  });
});
