import { randomBytes } from 'node:crypto';
import {
  CoreV1Api,
  PatchStrategy,
  RbacAuthorizationV1Api,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type {
  InventoryResponse,
  FleetResponse,
  InventoryClusterAvailability,
} from '@internal/plugin-sidecars-common';
import { seedDemoFleet } from '@internal/dev-stack/stack/seed';
import { DEMO_SERVICES } from '@internal/dev-stack/stack/demo-fleet';
import { waitFor } from '@internal/dev-stack/stack/wait';
import {
  testCluster,
  awaitReadyPods,
  type TestCluster,
} from '@internal/stack-tests/support/cluster';
import {
  component,
  startSidecarsBackend,
  USERS,
} from './__testUtils__/harness';
import { NEW_ISTIO, OLD_ISTIO, ownedFleet } from './__testUtils__/fleets';
import { closedPort } from './__testUtils__/closedPort';

jest.setTimeout(120_000);

const demoEntities = DEMO_SERVICES.map(s =>
  component(s.name, `group:default/${s.owner}`, {
    'backstage.io/kubernetes-id': s.name,
    'backstage.io/kubernetes-namespace': s.namespace,
  }),
);

type Harness = Awaited<ReturnType<typeof startSidecarsBackend>>;

const clusterNamed = (clusters: InventoryClusterAvailability[], name: string) =>
  clusters.find(c => c.name === name);

/** Waits until the backend answers for `cluster` from its watch cache. */
function awaitWatchServing(
  harness: Harness,
  entityRef: string,
  cluster = 'local',
) {
  return waitFor(
    async () => {
      const body = (
        await harness.as(USERS.pat).get(`/inventory?entityRef=${entityRef}`)
      ).body as InventoryResponse;
      return clusterNamed(body.clusters, cluster)?.source === 'watch';
    },
    {
      what: `the ${cluster} cluster's watch cache to serve the inventory`,
      timeoutMs: 60_000,
    },
  );
}

const isRecentIsoTime = (value: string | undefined) =>
  value !== undefined &&
  new Date(value).toISOString() === value &&
  Date.now() - Date.parse(value) < 120_000;

describe('inventory', () => {
  let harness: Harness;
  let watched: Awaited<ReturnType<typeof ownedFleet>>;

  beforeAll(async () => {
    const cluster = testCluster();
    await seedDemoFleet(cluster.kc);
    for (const service of DEMO_SERVICES)
      await awaitReadyPods(
        cluster,
        service.namespace,
        `app=${service.name}`,
        service.replicas,
      );
    watched = await ownedFleet('watched', 2);
    harness = await startSidecarsBackend({
      entities: [...demoEntities, watched.entity],
      taskQueue: `inventory-${randomBytes(3).toString('hex')}`,
    });
    await awaitWatchServing(harness, 'component:default/ledger');
  });
  afterAll(() => harness?.stop());

  it("reports a seeded service's sidecars: versions, kinds, readiness and resources", async () => {
    const res = await harness
      .as(USERS.alice)
      .get('/inventory?entityRef=component:default/ledger');
    expect(res.status).toBe(200);
    const body = res.body as InventoryResponse;
    expect(body.entityRef).toBe('component:default/ledger');
    expect(body.partial).toBe(false);
    expect(body.clusters).toEqual([
      {
        name: 'local',
        ok: true,
        source: 'watch',
        syncedAt: expect.any(String),
      },
    ]);
    expect(isRecentIsoTime(body.clusters[0]!.syncedAt)).toBe(true);
    expect(body.workloads).toHaveLength(1);
    const [workload] = body.workloads;
    expect(workload).toMatchObject({
      cluster: 'local',
      namespace: 'payments',
      kind: 'Deployment',
      name: 'ledger',
      pods: 3,
      readyPods: 3,
    });
    const byName = Object.fromEntries(
      workload!.sidecars.map(s => [s.container, s]),
    );
    expect(Object.keys(byName).sort()).toEqual([
      'cloud-sql-proxy',
      'fluent-bit',
      'istio-proxy',
    ]);

    expect(byName['cloud-sql-proxy']).toMatchObject({
      kind: 'native',
      versions: [
        {
          image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.13.0',
          version: '2.13.0',
          pods: 3,
          readyPods: 3,
        },
      ],
    });
    expect(byName['cloud-sql-proxy']!.resources.requests).toEqual({
      cpu: '50m',
      memory: '64Mi',
    });
    expect(byName['cloud-sql-proxy']!.resources.limits).toEqual({
      memory: '64Mi',
    });
    expect(byName['cloud-sql-proxy']!.resources.shareOfPod.cpu).toBeGreaterThan(
      0,
    );
    expect(byName['cloud-sql-proxy']!.resources.shareOfPod.cpu).toBeLessThan(1);

    expect(byName['istio-proxy']).toMatchObject({
      kind: 'injected',
      versions: [
        { image: 'docker.io/istio/proxyv2:1.22.3', version: '1.22.3', pods: 3 },
      ],
    });
    // checkout runs istio 1.23.1, so payments is one version behind the fleet's newest.
    expect(byName['istio-proxy']).toMatchObject({
      newestFleetVersion: '1.23.1',
      drift: 'behind',
      versionsBehind: 1,
    });
    expect(byName['fluent-bit']).toMatchObject({ kind: 'injected' });
  });

  it('tells declared sidecars from injected ones, and newest versions from older ones', async () => {
    const search = (
      await harness.as(USERS.bob).get('/inventory?entityRef=catalog-search')
    ).body as InventoryResponse;
    const sidecars = Object.fromEntries(
      search.workloads[0]!.sidecars.map(s => [s.container, s]),
    );
    expect(sidecars['fluent-bit']).toMatchObject({
      kind: 'declared',
      drift: 'behind',
      newestFleetVersion: '3.1.4',
    });
    expect(sidecars['cloud-sql-proxy']).toMatchObject({
      kind: 'native',
      newestFleetVersion: '2.13.0',
      drift: 'behind',
      versionsBehind: 1,
    });
    expect(sidecars['istio-proxy']).toBeUndefined();

    const cart = (
      await harness
        .as(USERS.bob)
        .get('/inventory?entityRef=component:default/cart')
    ).body as InventoryResponse;
    const cartSidecars = Object.fromEntries(
      cart.workloads[0]!.sidecars.map(s => [s.container, s]),
    );
    expect(cartSidecars['cloud-sql-proxy']).toMatchObject({ kind: 'declared' });
    expect(cartSidecars['istio-proxy']).toMatchObject({
      kind: 'injected',
      drift: 'current',
      versionsBehind: 0,
    });
    expect(cart.workloads[0]!.sidecars.map(s => s.container)).not.toContain(
      'cart',
    );
  });

  it('shows one sidecar across the fleet', async () => {
    const res = await harness
      .as(USERS.bob)
      .get('/inventory/fleet?container=cloud-sql-proxy');
    expect(res.status).toBe(200);
    const body = res.body as FleetResponse;
    expect(body.clusters).toEqual([
      {
        name: 'local',
        ok: true,
        source: 'watch',
        syncedAt: expect.any(String),
      },
    ]);
    expect(isRecentIsoTime(body.clusters[0]!.syncedAt)).toBe(true);
    expect(body.newestVersion).toBe('2.13.0');
    expect(body.versions.map(v => v.version)).toEqual([
      '2.13.0',
      '2.11.0',
      '2.8.2',
    ]);
    expect(body.versions.find(v => v.version === '2.11.0')!.pods).toBe(2 + 3);
    expect(body.rows).toEqual(
      expect.arrayContaining([
        {
          cluster: 'local',
          namespace: 'payments',
          image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.13.0',
          version: '2.13.0',
          pods: 3,
        },
        {
          cluster: 'local',
          namespace: 'catalog',
          image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.2',
          version: '2.8.2',
          pods: 2,
        },
      ]),
    );
  });

  it('sees a new pod and an image change through the watch, without listing pods again', async () => {
    const cluster = testCluster();
    const lists = [
      jest.spyOn(CoreV1Api.prototype, 'listPodForAllNamespaces'),
      jest.spyOn(CoreV1Api.prototype, 'listNamespacedPod'),
    ];
    try {
      const inventoryOf = async () =>
        (
          await harness
            .as(USERS.alice)
            .get(`/inventory?entityRef=${watched.entityRef}`)
        ).body as InventoryResponse;
      const istio = (body: InventoryResponse) =>
        body.workloads[0]?.sidecars.find(s => s.container === 'istio-proxy');
      expect(istio(await inventoryOf())).toMatchObject({
        versions: [{ image: OLD_ISTIO, pods: 2 }],
      });

      await cluster.apps.patchNamespacedDeploymentScale(
        {
          namespace: watched.namespace,
          name: 'fleet',
          body: [{ op: 'replace', path: '/spec/replicas', value: 3 }],
        },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      );
      await waitFor(
        async () => (await inventoryOf()).workloads[0]?.pods === 3,
        { what: 'the inventory to count the third pod', timeoutMs: 30_000 },
      );

      await patchIstio(
        cluster,
        watched.namespace,
        watched.pods[0]!.metadata!.name!,
        NEW_ISTIO,
      );
      const changed = await waitFor(
        async () => {
          const body = await inventoryOf();
          return (
            istio(body)?.versions.some(
              v => v.image === NEW_ISTIO && v.pods === 1,
            ) && body
          );
        },
        { what: 'the inventory to show the patched image', timeoutMs: 30_000 },
      );
      expect(changed.clusters).toEqual([
        {
          name: 'local',
          ok: true,
          source: 'watch',
          syncedAt: expect.any(String),
        },
      ]);
      expect(istio(changed)).toMatchObject({
        drift: 'behind',
        newestFleetVersion: '1.23.1',
      });

      const fleet = (
        await harness
          .as(USERS.pat)
          .get('/inventory/fleet?container=istio-proxy')
      ).body as FleetResponse;
      expect(
        fleet.rows
          .filter(row => row.namespace === watched.namespace)
          .map(row => [row.image, row.pods])
          .sort(),
      ).toEqual(
        [
          [OLD_ISTIO, 2],
          [NEW_ISTIO, 1],
        ].sort(),
      );
      for (const list of lists) expect(list).not.toHaveBeenCalled();
    } finally {
      for (const list of lists) list.mockRestore();
    }
  });

  it('answers 404 for an unknown entity and 401 without credentials', async () => {
    expect(
      (
        await harness
          .as(USERS.alice)
          .get('/inventory?entityRef=component:default/nope')
      ).status,
    ).toBe(404);
    expect(
      (
        await harness
          .as(undefined)
          .get('/inventory?entityRef=component:default/ledger')
      ).status,
    ).toBe(401);
    expect(
      (
        await harness
          .as(undefined)
          .get('/inventory/fleet?container=istio-proxy')
      ).status,
    ).toBe(401);
  });
});

describe('inventory with a cluster that is down', () => {
  let harness: Awaited<ReturnType<typeof startSidecarsBackend>>;

  beforeAll(async () => {
    const port = await closedPort();
    harness = await startSidecarsBackend({
      entities: demoEntities,
      taskQueue: `down-${randomBytes(3).toString('hex')}`,
      extraClusters: [
        {
          name: 'down',
          authProvider: 'serviceAccount',
          url: `https://127.0.0.1:${port}`,
          serviceAccountToken: 'unused',
          skipTLSVerify: true,
        },
      ],
    });
  });
  afterAll(() => harness?.stop());

  it("returns the answering clusters' pods and names the one that did not answer", async () => {
    const res = await harness
      .as(USERS.alice)
      .get('/inventory?entityRef=component:default/payments-api');
    expect(res.status).toBe(200);
    const body = res.body as InventoryResponse;
    expect(body.partial).toBe(true);
    expect(body.clusters).toContainEqual(
      expect.objectContaining({ name: 'local', ok: true }),
    );
    const down = body.clusters.find(c => c.name === 'down');
    expect(down).toMatchObject({ ok: false });
    expect(down).not.toHaveProperty('source');
    expect(down!.error).toMatch(/ECONNREFUSED|refused|connect/i);
    expect(down!.watchError).toMatch(/ECONNREFUSED|refused|connect|loading/i);
    expect(body.workloads.map(w => `${w.cluster}/${w.name}`)).toEqual([
      'local/payments-api',
    ]);

    const fleet = (
      await harness
        .as(USERS.alice)
        .get('/inventory/fleet?container=istio-proxy')
    ).body as FleetResponse;
    expect(fleet.partial).toBe(true);
    expect(fleet.versions.length).toBeGreaterThan(0);
  });
});

async function patchIstio(
  cluster: TestCluster,
  namespace: string,
  name: string,
  image: string,
) {
  const pod = await cluster.core.readNamespacedPod({ namespace, name });
  const index = pod.spec!.containers.findIndex(c => c.name === 'istio-proxy');
  await cluster.core.patchNamespacedPod(
    {
      namespace,
      name,
      body: [
        {
          op: 'replace',
          path: `/spec/containers/${index}/image`,
          value: image,
        },
      ],
    },
    setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
  );
}

/**
 * The stack's API server seen through a ServiceAccount that may get and list what the inventory
 * reads, but not watch it: every watch the backend opens is refused (403).
 */
async function clusterWithoutWatch(cluster: TestCluster, name: string) {
  const rbac = cluster.kc.makeApiClient(RbacAuthorizationV1Api);
  const namespace = `${name}-${randomBytes(3).toString('hex')}`;
  await cluster.core.createNamespace({
    body: { metadata: { name: namespace } },
  });
  await cluster.core.createNamespacedServiceAccount({
    namespace,
    body: { metadata: { name } },
  });
  await rbac.createClusterRole({
    body: {
      metadata: { name: namespace },
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
        {
          apiGroups: ['apps'],
          resources: [
            'replicasets',
            'statefulsets',
            'daemonsets',
            'deployments',
          ],
          verbs: ['get', 'list'],
        },
      ],
    },
  });
  await rbac.createClusterRoleBinding({
    body: {
      metadata: { name: namespace },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: namespace,
      },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
  });
  const token = await cluster.core.createNamespacedServiceAccountToken({
    namespace,
    name,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  return {
    settings: {
      name,
      authProvider: 'serviceAccount',
      url: cluster.kc.getCurrentCluster()!.server,
      serviceAccountToken: token.status!.token,
      skipTLSVerify: true,
    },
    remove: async () => {
      await rbac.deleteClusterRoleBinding({ name: namespace });
      await rbac.deleteClusterRole({ name: namespace });
      await cluster.core.deleteNamespace({ name: namespace });
    },
  };
}

describe('inventory with a cluster whose watch is refused', () => {
  let harness: Harness;
  let noWatch: Awaited<ReturnType<typeof clusterWithoutWatch>>;

  beforeAll(async () => {
    noWatch = await clusterWithoutWatch(testCluster(), 'nowatch');
    harness = await startSidecarsBackend({
      entities: demoEntities,
      taskQueue: `nowatch-${randomBytes(3).toString('hex')}`,
      extraClusters: [noWatch.settings],
      sidecars: { inventory: { watchGraceSeconds: 0 } },
    });
    await awaitWatchServing(harness, 'component:default/ledger');
  });
  afterAll(async () => {
    await harness?.stop();
    await noWatch?.remove();
  });

  it('lists that cluster directly, says so and why, and still answers in full', async () => {
    const listed = await waitFor(
      async () => {
        const body = (
          await harness
            .as(USERS.alice)
            .get('/inventory?entityRef=component:default/ledger')
        ).body as InventoryResponse;
        return (
          clusterNamed(body.clusters, 'nowatch')?.source === 'list' && body
        );
      },
      {
        what: 'the inventory to list the cluster whose watch is refused',
        timeoutMs: 30_000,
      },
    );
    expect(listed.partial).toBe(false);
    expect(clusterNamed(listed.clusters, 'local')).toMatchObject({
      ok: true,
      source: 'watch',
    });
    const nowatch = clusterNamed(listed.clusters, 'nowatch')!;
    expect(nowatch).toMatchObject({ ok: true, source: 'list' });
    expect(nowatch.watchError).toMatch(/watch fails: .*forbidden/i);
    expect(isRecentIsoTime(nowatch.syncedAt)).toBe(true);
    // Both clusters are the same API server: the listed one shows the same workload, sidecars classified alike.
    expect(
      listed.workloads.map(
        w => `${w.cluster}/${w.namespace}/${w.kind}/${w.name}/${w.pods}`,
      ),
    ).toEqual([
      'local/payments/Deployment/ledger/3',
      'nowatch/payments/Deployment/ledger/3',
    ]);
    expect(listed.workloads[1]!.sidecars).toEqual(
      listed.workloads[0]!.sidecars,
    );

    const fleet = (
      await harness.as(USERS.pat).get('/inventory/fleet?container=istio-proxy')
    ).body as FleetResponse;
    expect(fleet.partial).toBe(false);
    expect(clusterNamed(fleet.clusters, 'nowatch')).toMatchObject({
      ok: true,
      source: 'list',
      watchError: expect.stringMatching(/forbidden/i),
    });
    expect(
      fleet.rows
        .filter(row => row.namespace === 'payments')
        .map(row => row.cluster)
        .sort(),
    ).toEqual(['local', 'nowatch']);
  });
});
