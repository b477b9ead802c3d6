import { randomBytes } from 'node:crypto';
import {
  PatchStrategy,
  setHeaderOptions,
  type V1Container,
  type V1Pod,
} from '@kubernetes/client-node';
import {
  NO_CATALOG_OWNER,
  type InventoryResponse,
  type SidecarAccountingResponse,
  type WorkloadSidecar,
} from '@internal/plugin-sidecars-common';
import { seedDemoFleet } from '@internal/dev-stack/stack/seed';
import { DEMO_SERVICES } from '@internal/dev-stack/stack/demo-fleet';
import { waitFor } from '@internal/dev-stack/stack/wait';
import {
  awaitReadyPods,
  containerStatus,
  testCluster,
} from '@internal/stack-tests/support/cluster';
import {
  component,
  startSidecarsBackend,
  USERS,
} from './__testUtils__/harness';
import { OLD_ISTIO, ownedFleet } from './__testUtils__/fleets';

jest.setTimeout(180_000);

type Harness = Awaited<ReturnType<typeof startSidecarsBackend>>;

const demoEntities = DEMO_SERVICES.map(s =>
  component(s.name, `group:default/${s.owner}`, {
    'backstage.io/kubernetes-id': s.name,
    'backstage.io/kubernetes-namespace': s.namespace,
  }),
);

/** Kubernetes quantities the demo fleet uses, read here independently of the backend's parser. */
function quantity(value: string | undefined): number {
  if (value === undefined) return 0;
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi)?$/.exec(value);
  if (!match) throw new Error(`the test cannot read the quantity ${value}`);
  const scale = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 };
  return (
    Number(match[1]) * (match[2] ? scale[match[2] as keyof typeof scale] : 1)
  );
}

const longRunning = (pod: V1Pod): V1Container[] => [
  ...(pod.spec?.containers ?? []),
  ...(pod.spec?.initContainers ?? []).filter(c => c.restartPolicy === 'Always'),
];

interface ExpectedGroup {
  pods: number;
  cpuCores: number;
  memoryBytes: number;
  allCpu: number;
  allMemory: number;
}

/** What the accounting by team must say, worked out from a direct listing of every pod. */
function expectedByTeam(
  pods: V1Pod[],
  sidecar: string,
  teamOf: (pod: V1Pod) => string,
) {
  const groups = new Map<string, ExpectedGroup>();
  for (const pod of pods) {
    const key = teamOf(pod);
    const group = groups.get(key) ?? {
      pods: 0,
      cpuCores: 0,
      memoryBytes: 0,
      allCpu: 0,
      allMemory: 0,
    };
    groups.set(key, group);
    for (const c of longRunning(pod)) {
      group.allCpu += quantity(c.resources?.requests?.cpu);
      group.allMemory += quantity(c.resources?.requests?.memory);
    }
    const own = longRunning(pod).find(c => c.name === sidecar);
    if (!own) continue;
    group.pods += 1;
    group.cpuCores += quantity(own.resources?.requests?.cpu);
    group.memoryBytes += quantity(own.resources?.requests?.memory);
  }
  return Object.fromEntries(
    [...groups]
      .filter(([, g]) => g.pods > 0)
      .map(([key, g]) => [
        key,
        {
          pods: g.pods,
          cpuCores: Math.round(g.cpuCores * 1000) / 1000,
          memoryBytes: Math.round(g.memoryBytes),
          shareOfCpu: Math.round((g.cpuCores / g.allCpu) * 10_000) / 10_000,
        },
      ]),
  );
}

describe('sidecar accounting', () => {
  let harness: Harness;
  let fleet: Awaited<ReturnType<typeof ownedFleet>>;
  const cluster = testCluster();

  /** The team a pod belongs to by the harness's catalog: the entities' annotations, read here as the test wrote them. */
  const teamOf = (pod: V1Pod): string => {
    const labels = pod.metadata?.labels ?? {};
    const namespace = pod.metadata?.namespace;
    const service = DEMO_SERVICES.find(
      s =>
        s.namespace === namespace &&
        labels['backstage.io/kubernetes-id'] === s.name,
    );
    if (service) return `group:default/${service.owner}`;
    if (namespace === fleet.namespace && labels.app === 'fleet')
      return 'group:default/team-payments';
    return NO_CATALOG_OWNER;
  };

  const accounting = async (query: string) => {
    const res = await harness.as(USERS.pat).get(`/accounting?${query}`);
    if (res.status !== 200)
      throw new Error(
        `GET /accounting?${query} answered ${res.status}: ${JSON.stringify(res.body)}`,
      );
    return res.body as SidecarAccountingResponse;
  };

  const allPods = async () =>
    (await cluster.core.listPodForAllNamespaces()).items;

  beforeAll(async () => {
    await seedDemoFleet(cluster.kc);
    for (const service of DEMO_SERVICES)
      await awaitReadyPods(
        cluster,
        service.namespace,
        `app=${service.name}`,
        service.replicas,
      );
    fleet = await ownedFleet('accounted', 2);
    harness = await startSidecarsBackend({
      entities: [...demoEntities, fleet.entity],
      taskQueue: `accounting-${randomBytes(3).toString('hex')}`,
    });
    await waitFor(
      async () =>
        (await accounting('sidecar=istio-proxy')).clusters[0]?.source ===
        'watch',
      { what: "the local cluster's watch cache to serve", timeoutMs: 60_000 },
    );
  });
  afterAll(() => harness?.stop());

  it.each(['istio-proxy', 'cloud-sql-proxy', 'fluent-bit'])(
    'sums %s by team exactly as a direct listing of the cluster does',
    async sidecar => {
      // Other suites may add pods meanwhile: compare only against a listing that stayed the same
      // from before the request until after it.
      const { answer, expected } = await waitFor(
        async () => {
          const before = await allPods();
          const got = await accounting(`sidecar=${sidecar}&groupBy=team`);
          const after = await allPods();
          const listed = expectedByTeam(before, sidecar, teamOf);
          const stable =
            JSON.stringify(expectedByTeam(after, sidecar, teamOf)) ===
            JSON.stringify(listed);
          return stable && { answer: got, expected: listed };
        },
        {
          what: 'a listing that holds still around the request',
          timeoutMs: 60_000,
        },
      );
      expect(answer.partial).toBe(false);
      expect(
        Object.fromEntries(
          answer.groups.map(g => [
            g.key,
            {
              pods: g.pods,
              cpuCores: g.requests.cpuCores,
              memoryBytes: g.requests.memoryBytes,
              shareOfCpu: g.shareOfRequests.cpu,
            },
          ]),
        ),
      ).toEqual(expected);
      expect(answer.fleet.pods).toBe(
        Object.values(expected).reduce((sum, g) => sum + g.pods, 0),
      );
    },
  );

  it('accounts the demo fleet to its owning teams', async () => {
    const answer = await accounting('sidecar=istio-proxy');
    const payments = answer.groups.find(
      g => g.key === 'group:default/team-payments',
    );
    // payments-api 4 + ledger 3 + this suite's 2 pods, each with 100m and 128Mi for istio-proxy.
    expect(payments).toMatchObject({
      pods: 9,
      requests: { cpuCores: 0.9, memoryBytes: 9 * 128 * 2 ** 20 },
      limits: { memoryBytes: 9 * 256 * 2 ** 20 },
      unlimitedPods: { cpu: 9, memory: 0 },
    });
    const checkout = answer.groups.find(
      g => g.key === 'group:default/team-checkout',
    );
    // checkout-web holds its app until the proxy starts; cart does not.
    expect(checkout?.startOrdering).toEqual({
      native: 0,
      'start-hook': 3,
      unordered: 2,
    });
  });

  it("counts a crash-looping sidecar's restarts as the cluster reports them, and names its workload", async () => {
    const podName = fleet.pods[0]!.metadata!.name!;
    const pod = await cluster.core.readNamespacedPod({
      namespace: fleet.namespace,
      name: podName,
    });
    const index = pod.spec!.containers.findIndex(c => c.name === 'istio-proxy');
    await cluster.core.patchNamespacedPod(
      {
        namespace: fleet.namespace,
        name: podName,
        body: [
          {
            op: 'replace',
            path: `/spec/containers/${index}/image`,
            value: `${OLD_ISTIO}-crashloop`,
          },
        ],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    const restartsNow = async () =>
      containerStatus(
        await cluster.core.readNamespacedPod({
          namespace: fleet.namespace,
          name: podName,
        }),
        'istio-proxy',
      )?.restartCount ?? 0;

    // The watch saw the pod at 0 restarts, so every restart the kubelet reports since is counted:
    // the figure lies between the restart counts read just before and just after the request.
    const seen = await waitFor(
      async () => {
        const before = await restartsNow();
        const answer = await accounting('sidecar=istio-proxy');
        const after = await restartsNow();
        const offender = answer.topRestarting.find(
          w => w.namespace === fleet.namespace,
        );
        return (
          before >= 3 &&
          offender &&
          offender.restarts.lastHour >= before &&
          offender.restarts.lastHour <= after && { answer, offender, before }
        );
      },
      { what: 'the accounting to count the crash loop', timeoutMs: 60_000 },
    );
    expect(seen.offender).toMatchObject({
      cluster: 'local',
      kind: 'Deployment',
      name: 'fleet',
      team: 'group:default/team-payments',
      pods: 2,
      crashLoopingPods: 1,
    });
    expect(seen.offender.restarts.lastDay).toBe(
      seen.offender.restarts.lastHour,
    );
    expect(seen.answer.topRestarting[0]!.namespace).toBe(fleet.namespace);
    expect(seen.answer.restartsWatchedSince).toEqual(expect.any(String));

    const looping = (await allPods()).filter(p =>
      longRunning(p).some(
        c =>
          c.name === 'istio-proxy' &&
          containerStatus(p, 'istio-proxy')?.state?.waiting?.reason ===
            'CrashLoopBackOff',
      ),
    );
    expect(seen.answer.fleet.crashLoopingPods.now).toBe(looping.length);

    const inventory = (
      await harness
        .as(USERS.alice)
        .get(`/inventory?entityRef=${fleet.entityRef}`)
    ).body as InventoryResponse;
    expect(inventory.workloads[0]!.sidecars[0]).toMatchObject({
      container: 'istio-proxy',
      crashLoopingPods: 1,
      startOrdering: { kind: 'unordered' },
    });
  });

  it("classifies each demo sidecar's start ordering on the entity tab", async () => {
    const sidecars = async (name: string) => {
      const body = (
        await harness
          .as(USERS.pat)
          .get(`/inventory?entityRef=component:default/${name}`)
      ).body as InventoryResponse;
      return Object.fromEntries(
        body.workloads[0]!.sidecars.map((s: WorkloadSidecar) => [
          s.container,
          s.startOrdering,
        ]),
      );
    };
    expect(await sidecars('checkout-web')).toEqual({
      'istio-proxy': {
        kind: 'start-hook',
        hook: 'holdApplicationUntilProxyStarts',
      },
    });
    expect(await sidecars('cart')).toEqual({
      'cloud-sql-proxy': { kind: 'start-hook', hook: 'postStart' },
      'istio-proxy': { kind: 'unordered' },
    });
    expect(await sidecars('inventory-sync')).toEqual({
      'cloud-sql-proxy': { kind: 'unordered' },
      'otel-collector': { kind: 'unordered' },
    });
    expect(await sidecars('ledger')).toMatchObject({
      'cloud-sql-proxy': { kind: 'native' },
      'istio-proxy': { kind: 'unordered' },
    });
  });
});
