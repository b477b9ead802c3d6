import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { ApiErrorBody } from '@internal/plugin-sidecars-common';
import { component, startSidecarsBackend, USERS } from './testing/harness';
import { NEW_ISTIO, ownedFleet } from './testing/fleets';
import { workflowsOnQueue } from './testing/temporal';

jest.setTimeout(120_000);

interface BadRequest {
  name: string;
  method: 'get' | 'post';
  path: string;
  body?: unknown;
  raw?: string;
  user?: string;
  field: string;
  message?: RegExp;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise(resolve => server.close(resolve));
  return port;
}

describe('bad input', () => {
  const taskQueue = `validation-${randomBytes(3).toString('hex')}`;
  let harness: Awaited<ReturnType<typeof startSidecarsBackend>>;
  let fleet: Awaited<ReturnType<typeof ownedFleet>>;

  beforeAll(async () => {
    fleet = await ownedFleet('be-validation', 2);
    const bare = component('no-annotations', 'group:default/team-payments', {});
    harness = await startSidecarsBackend({ entities: [fleet.entity, bare], taskQueue });
  });
  afterAll(() => harness?.stop());

  // Cases are listed before the fleet exists (jest collects tests first) and rebuilt with it when they run.
  const namespace = () => fleet?.namespace ?? 'not-yet-created';
  const entityRef = () => fleet?.entityRef ?? 'component:default/not-yet-created';
  const valid = () => ({ container: 'istio-proxy', targetImage: NEW_ISTIO, selector: { namespaces: [namespace()] } });
  const withSpec = (patch: Record<string, unknown>) => ({ spec: { ...valid(), ...patch } });
  const start = (name: string, body: unknown, field: string, message?: RegExp): BadRequest => ({ name, method: 'post', path: '/campaigns', body, field, message });

  const cases = (): BadRequest[] => [
    { name: 'body is not JSON', method: 'post', path: '/campaigns', raw: '{"spec": ', field: '', message: /not valid JSON/ },
    start('body is a list', [valid()], '', /must be a JSON object/),
    start('spec is missing', {}, 'spec', /spec is required/),
    start('unknown top-level field', { ...withSpec({}), dryRun: true }, 'dryRun', /unknown field "dryRun"/),
    start('container is missing', { spec: { targetImage: NEW_ISTIO, selector: { namespaces: [namespace()] } } }, 'container', /container is required/),
    start('container is not a container name', withSpec({ container: 'Istio_Proxy' }), 'container'),
    start('target image has no tag', withSpec({ targetImage: 'docker.io/istio/proxyv2' }), 'targetImage', /no tag or digest/),
    start('target image is malformed', withSpec({ targetImage: 'docker.io/Istio/proxy v2:1' }), 'targetImage', /not a valid image reference/),
    start('selector matches everything', withSpec({ selector: {} }), 'selector', /fleetWide/),
    start('selector has an empty label selector only', withSpec({ selector: { labelSelector: '' } }), 'selector', /fleetWide/),
    start('label selector does not parse', withSpec({ selector: { labelSelector: 'app in (' } }), 'selector.labelSelector'),
    start('maxUnavailable is 0', withSpec({ strategy: { maxUnavailable: 0 } }), 'strategy.maxUnavailable'),
    start('maxUnavailable is 0%', withSpec({ strategy: { maxUnavailable: '0%' } }), 'strategy.maxUnavailable'),
    start('maxUnavailable is over 100%', withSpec({ strategy: { maxUnavailable: '150%' } }), 'strategy.maxUnavailable'),
    start('unknown cluster', withSpec({ selector: { namespaces: [namespace()], clusters: ['nowhere'] } }), 'selector.clusters.0', /unknown cluster "nowhere".*local/),
    start('unknown entity', withSpec({ selector: { entityRef: 'component:default/unknown-service' } }), 'selector.entityRef', /no catalog entity/),
    start('malformed entity ref', withSpec({ selector: { entityRef: 'component:default/Not A Name!' } }), 'selector.entityRef'),
    start('entity without Kubernetes annotations', withSpec({ selector: { entityRef: 'component:default/no-annotations' } }), 'selector.entityRef', /kubernetes-id/),
    start('entity ref combined with a label selector', withSpec({ selector: { entityRef: entityRef(), labelSelector: 'app=x' } }), 'selector.labelSelector', /cannot be combined/),
    start('misspelt spec field', { spec: { ...valid(), contianer: 'istio-proxy' } }, 'contianer', /did you mean "container"/),
    start('misspelt strategy field', withSpec({ strategy: { maxUnavailible: 1 } }), 'strategy.maxUnavailible', /did you mean "maxUnavailable"/),
    start('unknown mode', withSpec({ mode: 'rolling' }), 'mode'),
    start('empty maintenance windows', withSpec({ schedule: { windows: [] } }), 'schedule.windows'),
    start('canary bakes without a bake time', withSpec({ strategy: { canary: { size: 1, then: 'bake' } } }), 'strategy.canary.bakeSeconds'),
    start('no selected pod runs the container', withSpec({ container: 'fluent-bit' }), 'container', /none of the 2 selected pod\(s\) has a container named "fluent-bit"/),
    start('selection matches no pods', withSpec({ selector: { namespaces: ['no-such-namespace'] } }), 'selector', /matches no pods/),
    { name: 'plan with maxUnavailable 0', method: 'post', path: '/campaigns/plan', body: withSpec({ strategy: { maxUnavailable: 0 } }), field: 'strategy.maxUnavailable' },
    { name: 'inventory without entityRef', method: 'get', path: '/inventory', field: 'entityRef', message: /entityRef is required/ },
    { name: 'inventory with a malformed entityRef', method: 'get', path: '/inventory?entityRef=not%20a%20ref!', field: 'entityRef' },
    { name: 'inventory with an unknown parameter', method: 'get', path: `/inventory?entityRef=${entityRef()}&verbose=1`, field: 'verbose', message: /unknown field/ },
    { name: 'fleet view without container', method: 'get', path: '/inventory/fleet', field: 'container' },
    { name: 'fleet view of a container nobody runs', method: 'get', path: '/inventory/fleet?container=no-such-sidecar', field: 'container', message: /no pod/ },
    { name: 'list with pageSize 0', method: 'get', path: '/campaigns?pageSize=0', field: 'pageSize' },
    { name: 'list with an unknown phase', method: 'get', path: '/campaigns?phase=Done', field: 'phase', message: /Running/ },
    { name: 'list with a garbled page token', method: 'get', path: '/campaigns?nextPageToken=%21%21', field: 'nextPageToken' },
    { name: 'list with an unknown parameter', method: 'get', path: '/campaigns?sort=asc', field: 'sort' },
    { name: 'control with a non-text reason', method: 'post', path: '/campaigns/any/pause', body: { reason: 5 }, field: 'reason' },
    { name: 'control with an unknown field', method: 'post', path: '/campaigns/any/abort', body: { why: 'x' }, field: 'why' },
  ];

  it('has a table of at least 25 bad requests', () => {
    expect(cases().length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases().map(c => c.name))('answers 400 naming the field: %s', async name => {
    const bad = cases().find(c => c.name === name)!;
    const client = harness.as(bad.user ?? USERS.pat);
    let res;
    if (bad.method === 'get') res = await client.get(bad.path);
    else if (bad.raw !== undefined) res = await client.post(bad.path).set('Content-Type', 'application/json').send(bad.raw);
    else res = await client.post(bad.path, bad.body);
    expect(res.status).toBe(400);
    const body = res.body as ApiErrorBody;
    expect(body.error.name).toBe('InputError');
    expect(body.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: bad.field })]));
    const field = body.fields!.find(f => f.field === bad.field)!;
    expect(field.message.length).toBeGreaterThan(10);
    if (bad.message) expect(field.message).toMatch(bad.message);
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
      sidecars: { temporal: { address: `127.0.0.1:${await closedPort()}`, taskQueue: 'unreachable' } },
    });
  });
  afterAll(() => harness?.stop());

  it('answers 503 with a clear message', async () => {
    const list = await harness.as(USERS.pat).get('/campaigns');
    expect(list.status).toBe(503);
    expect(list.body.error.message).toMatch(/Temporal is not reachable/);
    const start = await harness.as(USERS.alice).post('/campaigns', { spec: { container: 'istio-proxy', targetImage: NEW_ISTIO, selector: { entityRef: fleet.entityRef } } });
    expect(start.status).toBe(503);
  });
});
