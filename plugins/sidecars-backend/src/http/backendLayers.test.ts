import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { ApiErrorBody } from '@internal/plugin-sidecars-common';
import request from 'supertest';
import { sidecarsPlugin } from '../plugin';

/**
 * The plugin in a Backstage test backend, so requests pass Backstage's root and plugin routers
 * (credentials barrier, error handler) before this plugin's router. No route here reaches Temporal
 * (its connection opens on first use) or a cluster.
 */
describe('errors through the Backstage backend around the router', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const user = {
    Authorization: mockCredentials.user.header('user:default/alice'),
  };

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        sidecarsPlugin,
        mockServices.rootConfig.factory({
          data: {
            sidecars: { temporal: { address: '127.0.0.1:1' }, clusters: [] },
          },
        }),
        catalogServiceMock.factory({ entities: [] }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
  });
  afterAll(() => backend?.stop());

  const api = () => request(backend.server);

  it("answers an anonymous caller 401 with the plugin's JSON body, not the barrier's", async () => {
    const res = await api().get('/api/sidecars/campaigns');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: { name: 'AuthenticationError', message: expect.any(String) },
    });
  });

  it('names the id of an undecodable path', async () => {
    const res = await api().get('/api/sidecars/campaigns/%').set(user);
    expect(res.status).toBe(400);
    expect((res.body as ApiErrorBody).fields).toEqual([
      expect.objectContaining({ field: 'id' }),
    ]);
  });

  it('names Content-Encoding for a body that is not what the header says', async () => {
    const res = await api()
      .post('/api/sidecars/campaigns')
      .set({
        ...user,
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
      })
      .send('{"spec":{}}');
    expect(res.status).toBe(400);
    expect((res.body as ApiErrorBody).fields).toEqual([
      expect.objectContaining({ field: 'Content-Encoding' }),
    ]);
  });

  it('answers 405 with Allow and 404 with a JSON body', async () => {
    const wrongMethod = await api()
      .delete('/api/sidecars/campaigns/some-campaign')
      .set(user);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('GET, HEAD');
    const unknown = await api().get('/api/sidecars/nothing-here').set(user);
    expect(unknown.status).toBe(404);
    expect((unknown.body as ApiErrorBody).error.message).toMatch(
      /no route GET \/nothing-here/,
    );
  });
});
