/**
 * The inventory's latency and the backend's memory in a cluster of 20,000 pods: a service's
 * inventory and the fleet view of its sidecar, requested one after another through the real
 * backend (auth, catalog, permissions) in this process. First with the watch cache off (every
 * request lists from the API server; the fleet view re-lists every fleetCacheSeconds), then on.
 * Then once more while pods change, so the cache is updating as it answers. Prints figures; asserts
 * nothing.
 *
 *   npm run bench                             20,000 pods
 *   BENCH_INVENTORY_PODS=5000 npm run bench   another size
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type {
  FleetResponse,
  InventoryResponse,
} from '@internal/plugin-sidecars-common';
import {
  component,
  startSidecarsBackend,
  USERS,
  type HarnessOptions,
} from '@internal/plugin-sidecars-backend/testHarness';
import { testCluster, type TestCluster } from '../support/cluster';
import { injectedFleet, type InjectedFleet } from '../support/fleet';
import { waitFor } from '@internal/dev-stack/stack/wait';

const TOTAL_PODS = Number(process.env.BENCH_INVENTORY_PODS ?? 20_000);
const SERVICE_PODS = 25;
const OTHER_NAMESPACES = 4;
/** The other namespaces' pods are Deployments of this many, placed on the nodes without the scheduler, which slows to a crawl by tens of thousands of pods. */
const OTHER_SERVICE_REPLICAS = 100;
const SIDECAR = {
  name: 'istio-proxy',
  image: 'docker.io/istio/proxyv2:1.22.3',
};
const NEW_SIDECAR = 'docker.io/istio/proxyv2:1.23.1';
const FLEET_READY_TIMEOUT_MS = 45 * 60_000;
const WARM_UP = 20;

type Harness = Awaited<ReturnType<typeof startSidecarsBackend>>;

// Heap figures after a full collection, so that they count what is kept, not what awaits collection.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function memoryAfterGc() {
  collectGarbage();
  return process.memoryUsage();
}

interface Latencies {
  p50: number;
  p95: number;
  max: number;
  count: number;
}

function summarize(samples: number[]): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return {
    p50: at(0.5),
    p95: at(0.95),
    max: sorted[sorted.length - 1]!,
    count: sorted.length,
  };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const line = (what: string, l: Latencies) =>
  `${what}: p50 ${ms(l.p50)}, p95 ${ms(l.p95)}, max ${ms(l.max)} (${l.count} requests)`;

async function timed(
  get: () => Promise<{ status: number; body: unknown }>,
  status = 200,
): Promise<number> {
  const t0 = performance.now();
  const res = await get();
  const elapsed = performance.now() - t0;
  if (res.status !== status)
    throw new Error(`answered ${res.status}: ${JSON.stringify(res.body)}`);
  return elapsed;
}

/** What any inventory request costs before pods are read (sign-in check, catalog lookup): an unknown entity's 404. */
async function requestFloor(
  harness: Harness,
  requests: number,
): Promise<Latencies> {
  const samples: number[] = [];
  for (let i = 0; i < requests; i++)
    samples.push(
      await timed(
        () =>
          harness
            .as(USERS.pat)
            .get('/inventory?entityRef=component:default/no-such-service'),
        404,
      ),
    );
  return summarize(samples);
}

const load = () =>
  `load average ${loadavg()
    .map(l => l.toFixed(1))
    .join(' ')} on this machine`;

/** `entity` inventory requests and `fleet` fleet-view requests, interleaved, one at a time. */
async function measure(
  harness: Harness,
  entityRef: string,
  entity: number,
  fleet: number,
) {
  const user = harness.as(USERS.pat);
  const entitySamples: number[] = [];
  const fleetSamples: number[] = [];
  const every = Math.max(1, Math.round(entity / Math.max(1, fleet)));
  for (let i = 0; i < entity; i++) {
    entitySamples.push(
      await timed(() => user.get(`/inventory?entityRef=${entityRef}`)),
    );
    if (i % every === 0 && fleetSamples.length < fleet)
      fleetSamples.push(
        await timed(() =>
          user.get(`/inventory/fleet?container=${SIDECAR.name}`),
        ),
      );
  }
  while (fleetSamples.length < fleet)
    fleetSamples.push(
      await timed(() => user.get(`/inventory/fleet?container=${SIDECAR.name}`)),
    );
  return { entity: summarize(entitySamples), fleet: summarize(fleetSamples) };
}

async function fleetPods(
  harness: Harness,
): Promise<{ pods: number; body: FleetResponse }> {
  const body = (
    await harness
      .as(USERS.pat)
      .get(`/inventory/fleet?container=${SIDECAR.name}`)
  ).body as FleetResponse;
  return { pods: body.versions.reduce((sum, v) => sum + v.pods, 0), body };
}

/** Patches the sidecar image of one pod after another until stopped: the cache keeps changing while it answers. */
function churn(cluster: TestCluster, fleets: InjectedFleet[]) {
  let running = true;
  let patched = 0;
  const loop = (async () => {
    const pods = fleets.flatMap(f => f.pods);
    while (running) {
      const pod = pods[patched % pods.length]!;
      const index = pod.spec!.containers.findIndex(
        c => c.name === SIDECAR.name,
      );
      await cluster.core.patchNamespacedPod(
        {
          namespace: pod.metadata!.namespace!,
          name: pod.metadata!.name!,
          body: [
            {
              op: 'replace',
              path: `/spec/containers/${index}/image`,
              value: patched % 2 ? SIDECAR.image : NEW_SIDECAR,
            },
          ],
        },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      );
      patched += 1;
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return patched;
    },
  };
}

async function startBackend(
  entity: ReturnType<typeof component>,
  sidecars: HarnessOptions['sidecars'],
): Promise<Harness> {
  return startSidecarsBackend({
    entities: [entity],
    taskQueue: `inventory-bench-${randomBytes(3).toString('hex')}`,
    sidecars,
  });
}

async function main(): Promise<void> {
  // The backend signs in with the demo provider, which refuses to run outside development and test.
  process.env.NODE_ENV ??= 'test';
  const cluster = testCluster();
  const nodeNames = (await cluster.core.listNode()).items.map(
    node => node.metadata!.name!,
  );
  const t0 = performance.now();
  const perNamespace = Math.ceil(
    (TOTAL_PODS - SERVICE_PODS) / OTHER_NAMESPACES,
  );
  const [service, ...others] = await Promise.all([
    injectedFleet(
      cluster,
      'inv-service',
      SERVICE_PODS,
      SIDECAR,
      FLEET_READY_TIMEOUT_MS,
    ),
    ...Array.from({ length: OTHER_NAMESPACES }, (_, i) =>
      injectedFleet(
        cluster,
        `inv-others-${i}`,
        perNamespace,
        SIDECAR,
        FLEET_READY_TIMEOUT_MS,
        OTHER_SERVICE_REPLICAS,
        nodeNames,
      ),
    ),
  ]);
  const total = SERVICE_PODS + perNamespace * OTHER_NAMESPACES;
  console.log(
    `inventory: ${total} Ready pods (${SERVICE_PODS} of the service, ${OTHER_NAMESPACES} × ${perNamespace} others) in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );

  const entity = component(service!.namespace, 'group:default/team-payments', {
    'backstage.io/kubernetes-label-selector': service!.selector,
    'backstage.io/kubernetes-namespace': service!.namespace,
  });
  const entityRef = `component:default/${service!.namespace}`;

  // Before: every request lists; the fleet view's cluster-wide list is cached for 30 s (the default).
  const listing = await startBackend(entity, {
    inventory: { watch: false },
    fleetCacheSeconds: 30,
  });
  let withoutCache: NodeJS.MemoryUsage;
  try {
    await measure(listing, entityRef, WARM_UP, 2);
    console.log(
      line(
        `inventory request floor (unknown entity, 404; ${load()})`,
        await requestFloor(listing, 100),
      ),
    );
    const before = await measure(listing, entityRef, 200, 50);
    console.log(
      line(
        `inventory without the watch cache, entity (${load()})`,
        before.entity,
      ),
    );
    console.log(line('inventory without the watch cache, fleet', before.fleet));
    withoutCache = memoryAfterGc();
  } finally {
    await listing.stop();
  }

  const synced = performance.now();
  const watching = await startBackend(entity, {});
  try {
    await waitFor(
      async () => {
        const body = (
          await watching.as(USERS.pat).get(`/inventory?entityRef=${entityRef}`)
        ).body as InventoryResponse;
        return body.clusters.every(c => c.source === 'watch');
      },
      {
        what: 'the watch cache to serve the inventory',
        timeoutMs: 10 * 60_000,
        intervalMs: 500,
      },
    );
    console.log(
      `inventory: the watch cache served ${((performance.now() - synced) / 1000).toFixed(1)} s after the backend began to start (its catalog and sign-in included)`,
    );
    const { pods } = await fleetPods(watching);
    await measure(watching, entityRef, WARM_UP, WARM_UP);
    const after = await measure(watching, entityRef, 500, 200);
    console.log(
      line(`inventory from the watch cache, entity (${load()})`, after.entity),
    );
    console.log(line('inventory from the watch cache, fleet', after.fleet));
    const withCache = memoryAfterGc();
    console.log(
      `inventory: backend process (in-process test backend: auth, catalog, permissions, sidecars) with ${pods} pods in the watch cache: RSS ${mib(withCache.rss)}, heap used ${mib(withCache.heapUsed)}; ` +
        `without the cache, after the same requests: RSS ${mib(withoutCache.rss)}, heap used ${mib(withoutCache.heapUsed)}: the cache holds about ${mib(withCache.heapUsed - withoutCache.heapUsed)} of heap`,
    );

    const changing = churn(cluster, others);
    const churned = await measure(watching, entityRef, 200, 100);
    const patched = await changing.stop();
    console.log(
      line(
        `inventory from the watch cache while ${patched} pods were patched, entity (${load()})`,
        churned.entity,
      ),
    );
    console.log(
      line(
        `inventory from the watch cache while ${patched} pods were patched, fleet`,
        churned.fleet,
      ),
    );
  } finally {
    await watching.stop();
  }

  await Promise.all(
    [service!, ...others].map(f =>
      cluster.core.deleteNamespace({ name: f.namespace }),
    ),
  );
}

// The in-process test backend (its catalog and auth) leaves timers behind after it stops, and one
// that failed half-way through its start keeps connections open: do not wait on them.
main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
