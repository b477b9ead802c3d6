import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { ApiErrorBody } from '@internal/plugin-sidecars-common';
import type { Response } from 'supertest';
import { startSidecarsBackend, USERS } from './__testUtils__/harness';
import { NEW_ISTIO, ownedFleet } from './__testUtils__/fleets';
import { workflowsOnQueue } from './__testUtils__/temporal';

jest.setTimeout(120_000);

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise(resolve => server.close(resolve));
  return port;
}

/**
 * Bad input whose answer depends on the real services (Kubernetes, Temporal). The table of purely
 * input cases runs against fake services in http/router.test.ts, and the errors of the Backstage
 * layers around the router in http/backendLayers.test.ts.
 */
describe('bad input through the real backend', () => {
  const taskQueue = `validation-${randomBytes(3).toString('hex')}`;
  let harness: Awaited<ReturnType<typeof startSidecarsBackend>>;
  let fleet: Awaited<ReturnType<typeof ownedFleet>>;

  beforeAll(async () => {
    fleet = await ownedFleet('be-validation', 2);
    harness = await startSidecarsBackend({
      entities: [fleet.entity],
      taskQueue,
    });
  });
  afterAll(() => harness?.stop());

  const valid = () => ({
    container: 'istio-proxy',
    targetImage: NEW_ISTIO,
    selector: { namespaces: [fleet.namespace] },
  });
  const pat = () => harness.as(USERS.pat);
  /** POSTs JSON text as is (with a smuggled own key, say, which a client's serializer would not send). */
  const postText = (path: string, text: string) =>
    pat().post(path).set('Content-Type', 'application/json').send(text);

  function expectFieldError(
    res: Response,
    status: number,
    field: string,
    says?: RegExp,
  ) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.text).not.toContain('"stack"');
    const body = res.body as ApiErrorBody;
    expect(body.fields).toEqual(
      expect.arrayContaining([expect.objectContaining({ field })]),
    );
    if (says)
      expect(body.fields!.find(f => f.field === field)!.message).toMatch(says);
  }

  it('names the container when no selected pod runs it, and the selector when it matches no pod', async () => {
    expectFieldError(
      await pat().post('/campaigns', {
        spec: { ...valid(), container: 'fluent-bit' },
      }),
      400,
      'container',
      /none of the 2 selected pod\(s\) has a container named "fluent-bit"/,
    );
    expectFieldError(
      await pat().post('/campaigns', {
        spec: { ...valid(), selector: { namespaces: ['no-such-namespace'] } },
      }),
      400,
      'selector',
      /matches no pods/,
    );
    expectFieldError(
      await pat().get('/inventory/fleet?container=no-such-sidecar'),
      400,
      'container',
      /no pod/,
    );
  });

  it('answers 400 naming nextPageToken for a well-formed token Temporal does not recognise', async () => {
    expectFieldError(
      await pat().get(
        `/campaigns?nextPageToken=${Buffer.from('not a page token').toString('base64url')}`,
      ),
      400,
      'nextPageToken',
      /list again from the first page/,
    );
  });

  it('rejects a smuggled __proto__ at the spec and strategy levels', async () => {
    const spec = JSON.stringify(valid()).slice(0, -1);
    expectFieldError(
      await postText(
        '/campaigns',
        `{"spec":${spec},"__proto__":{"selector":{"fleetWide":true}}}}`,
      ),
      400,
      'spec.__proto__',
      /not allowed/,
    );
    expectFieldError(
      await postText(
        '/campaigns/plan',
        `{"spec":${spec},"strategy":{"__proto__":{"partition":1}}}}`,
      ),
      400,
      'spec.strategy.__proto__',
      /not allowed/,
    );
  });

  it('started no workflow for any rejected request', async () => {
    expect(await workflowsOnQueue(taskQueue)).toBe(0);
  });
});

describe('Temporal unreachable', () => {
  let harness: Awaited<ReturnType<typeof startSidecarsBackend>>;
  let fleet: Awaited<ReturnType<typeof ownedFleet>>;

  beforeAll(async () => {
    fleet = await ownedFleet('be-no-temporal', 1);
    harness = await startSidecarsBackend({
      entities: [fleet.entity],
      taskQueue: 'unreachable',
      sidecars: {
        temporal: {
          address: `127.0.0.1:${await closedPort()}`,
          taskQueue: 'unreachable',
        },
      },
    });
  });
  afterAll(() => harness?.stop());

  it('answers 503 with a clear message', async () => {
    const list = await harness.as(USERS.pat).get('/campaigns');
    expect(list.status).toBe(503);
    expect(list.body.error.message).toMatch(/Temporal is not reachable/);
    const start = await harness.as(USERS.alice).post('/campaigns', {
      spec: {
        container: 'istio-proxy',
        targetImage: NEW_ISTIO,
        selector: { entityRef: fleet.entityRef },
      },
    });
    expect(start.status).toBe(503);
  });
});
