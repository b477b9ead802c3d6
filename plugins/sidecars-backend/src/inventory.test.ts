import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { InventoryResponse, FleetResponse } from '@internal/plugin-sidecars-common';
import { seedDemoFleet } from '@internal/stack-tests/stack/seed';
import { DEMO_SERVICES } from '@internal/stack-tests/stack/demo-fleet';
import { testCluster, awaitReadyPods } from '@internal/stack-tests/support/cluster';
import { component, startSidecarsBackend, USERS } from './testing/harness';

jest.setTimeout(120_000);

const demoEntities = DEMO_SERVICES.map(s =>
  component(s.name, `group:default/${s.owner}`, { 'backstage.io/kubernetes-id': s.name, 'backstage.io/kubernetes-namespace': s.namespace }),
);

/** A localhost port nothing listens on: connection refused, like a cluster that is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise(resolve => server.close(resolve));
  return port;
}

describe('inventory', () => {
  let harness: Awaited<ReturnType<typeof startSidecarsBackend>>;

  beforeAll(async () => {
    const cluster = testCluster();
    await seedDemoFleet(cluster.kc);
    for (const service of DEMO_SERVICES) await awaitReadyPods(cluster, service.namespace, `app=${service.name}`, service.replicas);
    harness = await startSidecarsBackend({ entities: demoEntities, taskQueue: `inventory-${randomBytes(3).toString('hex')}` });
  });
  afterAll(() => harness?.stop());

  it('reports a seeded service\'s sidecars: versions, kinds, readiness and resources', async () => {
    const res = await harness.as(USERS.alice).get('/inventory?entityRef=component:default/ledger');
    expect(res.status).toBe(200);
    const body = res.body as InventoryResponse;
    expect(body.entityRef).toBe('component:default/ledger');
    expect(body.partial).toBe(false);
    expect(body.clusters).toEqual([{ name: 'local', ok: true }]);
    expect(body.workloads).toHaveLength(1);
    const [workload] = body.workloads;
    expect(workload).toMatchObject({ cluster: 'local', namespace: 'payments', kind: 'Deployment', name: 'ledger', pods: 3, readyPods: 3 });
    const byName = Object.fromEntries(workload!.sidecars.map(s => [s.container, s]));
    expect(Object.keys(byName).sort()).toEqual(['cloud-sql-proxy', 'fluent-bit', 'istio-proxy']);

    expect(byName['cloud-sql-proxy']).toMatchObject({ kind: 'native', versions: [{ image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.13.0', version: '2.13.0', pods: 3, readyPods: 3 }] });
    expect(byName['cloud-sql-proxy']!.resources.requests).toEqual({ cpu: '50m', memory: '64Mi' });
    expect(byName['cloud-sql-proxy']!.resources.limits).toEqual({ memory: '64Mi' });
    expect(byName['cloud-sql-proxy']!.resources.shareOfPod.cpu).toBeGreaterThan(0);
    expect(byName['cloud-sql-proxy']!.resources.shareOfPod.cpu).toBeLessThan(1);

    expect(byName['istio-proxy']).toMatchObject({ kind: 'injected', versions: [{ image: 'docker.io/istio/proxyv2:1.22.3', version: '1.22.3', pods: 3 }] });
    // checkout runs istio 1.23.1, so payments is one version behind the fleet's newest.
    expect(byName['istio-proxy']).toMatchObject({ newestFleetVersion: '1.23.1', drift: 'behind', versionsBehind: 1 });
    expect(byName['fluent-bit']).toMatchObject({ kind: 'injected' });
  });

  it('tells declared sidecars from injected ones, and newest versions from older ones', async () => {
    const search = (await harness.as(USERS.bob).get('/inventory?entityRef=catalog-search')).body as InventoryResponse;
    const sidecars = Object.fromEntries(search.workloads[0]!.sidecars.map(s => [s.container, s]));
    expect(sidecars['fluent-bit']).toMatchObject({ kind: 'declared', drift: 'behind', newestFleetVersion: '3.1.4' });
    expect(sidecars['cloud-sql-proxy']).toMatchObject({ kind: 'native', newestFleetVersion: '2.13.0', drift: 'behind', versionsBehind: 1 });
    expect(sidecars['istio-proxy']).toBeUndefined();

    const cart = (await harness.as(USERS.bob).get('/inventory?entityRef=component:default/cart')).body as InventoryResponse;
    const cartSidecars = Object.fromEntries(cart.workloads[0]!.sidecars.map(s => [s.container, s]));
    expect(cartSidecars['cloud-sql-proxy']).toMatchObject({ kind: 'declared' });
    expect(cartSidecars['istio-proxy']).toMatchObject({ kind: 'injected', drift: 'current', versionsBehind: 0 });
    expect(cart.workloads[0]!.sidecars.map(s => s.container)).not.toContain('cart');
  });

  it('shows one sidecar across the fleet', async () => {
    const res = await harness.as(USERS.bob).get('/inventory/fleet?container=cloud-sql-proxy');
    expect(res.status).toBe(200);
    const body = res.body as FleetResponse;
    expect(body.newestVersion).toBe('2.13.0');
    expect(body.versions.map(v => v.version)).toEqual(['2.13.0', '2.11.0', '2.8.2']);
    expect(body.versions.find(v => v.version === '2.11.0')!.pods).toBe(2 + 3);
    expect(body.rows).toEqual(
      expect.arrayContaining([
        { cluster: 'local', namespace: 'payments', image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.13.0', version: '2.13.0', pods: 3 },
        { cluster: 'local', namespace: 'catalog', image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.2', version: '2.8.2', pods: 2 },
      ]),
    );
  });

  it('answers 404 for an unknown entity and 401 without credentials', async () => {
    expect((await harness.as(USERS.alice).get('/inventory?entityRef=component:default/nope')).status).toBe(404);
    expect((await harness.as(undefined).get('/inventory?entityRef=component:default/ledger')).status).toBe(401);
    expect((await harness.as(undefined).get('/inventory/fleet?container=istio-proxy')).status).toBe(401);
  });
});

describe('inventory with a cluster that is down', () => {
  let harness: Awaited<ReturnType<typeof startSidecarsBackend>>;

  beforeAll(async () => {
    const port = await closedPort();
    harness = await startSidecarsBackend({
      entities: demoEntities,
      taskQueue: `down-${randomBytes(3).toString('hex')}`,
      extraClusters: [{ name: 'down', authProvider: 'serviceAccount', url: `https://127.0.0.1:${port}`, serviceAccountToken: 'unused', skipTLSVerify: true }],
    });
  });
  afterAll(() => harness?.stop());

  it('returns the answering clusters\' pods and names the one that did not answer', async () => {
    const res = await harness.as(USERS.alice).get('/inventory?entityRef=component:default/payments-api');
    expect(res.status).toBe(200);
    const body = res.body as InventoryResponse;
    expect(body.partial).toBe(true);
    expect(body.clusters).toContainEqual({ name: 'local', ok: true });
    const down = body.clusters.find(c => c.name === 'down');
    expect(down).toMatchObject({ ok: false });
    expect(down!.error).toMatch(/ECONNREFUSED|refused|connect/i);
    expect(body.workloads.map(w => `${w.cluster}/${w.name}`)).toEqual(['local/payments-api']);

    const fleet = (await harness.as(USERS.alice).get('/inventory/fleet?container=istio-proxy')).body as FleetResponse;
    expect(fleet.partial).toBe(true);
    expect(fleet.versions.length).toBeGreaterThan(0);
  });
});
