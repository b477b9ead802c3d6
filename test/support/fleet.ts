import { randomBytes } from 'node:crypto';
import { Watch, type V1Pod } from '@kubernetes/client-node';
import { CAMPAIGN_LABELS } from '@internal/plugin-sidecars-common';
import { createIfMissing } from '@internal/dev-stack/stack/cluster-objects';
import { policyAndBinding } from '@internal/dev-stack/stack/injection-policies';
import { awaitInjectionActive } from '@internal/dev-stack/stack/seed';
import { waitFor } from '@internal/dev-stack/stack/wait';
import {
  awaitReadyPods,
  containerStatus,
  createTestNamespace,
  isPodReady,
  listPodsPaged,
  simpleDeployment,
  type TestCluster,
} from './cluster';

export const APP_IMAGE = 'registry.example.com/app:1.0.0';

export interface InjectedFleet {
  namespace: string;
  selector: string;
  pods: V1Pod[];
}

/**
 * A namespace whose pods get `sidecar` injected at admission (as a mesh injector would), and
 * `replicas` pods in it, all Ready: one Deployment, or (`replicasPerDeployment`) as many
 * Deployments of that size as it takes, the way a fleet spreads over services. Fleets of tens of
 * thousands are placed on `nodeNames` directly: kube-scheduler fell from 78 to 9 pods a second by
 * 20,000 (most likely its default spreading, which counts matching pods per node for each pod).
 */
export async function injectedFleet(
  cluster: TestCluster,
  prefix: string,
  replicas: number,
  sidecar: { name: string; image: string; native?: boolean },
  readyTimeoutMs = 60_000,
  replicasPerDeployment = replicas,
  /** Each Deployment's pods are placed on one of these nodes in turn, without the scheduler. */
  nodeNames: readonly string[] = [],
): Promise<InjectedFleet> {
  const namespace = await createTestNamespace(cluster, prefix);
  await injectSidecar(cluster, `inject-${namespace}`, sidecar, namespace, {
    'kubernetes.io/metadata.name': namespace,
  });
  await createServiceDeployments(
    cluster,
    namespace,
    replicas,
    replicasPerDeployment,
    nodeNames,
  );
  if (replicas > replicasPerDeployment)
    await awaitReadyDeployments(cluster, [namespace], replicas, readyTimeoutMs);
  const pods = await awaitReadyPods(
    cluster,
    namespace,
    'app=fleet',
    replicas,
    readyTimeoutMs,
  );
  return { namespace, selector: 'app=fleet', pods };
}

export interface SpreadFleet {
  namespaces: string[];
  selector: string;
  pods: V1Pod[];
}

/** The label that marks a spread fleet's namespaces, which its injection policy selects. */
const FLEET_NAMESPACE_LABEL = 'sidecars.test/fleet';

/**
 * Like `injectedFleet`, but spread over namespaces of `podsPerNamespace` pods, as a large fleet is:
 * the Deployment controller walks every pod of a Deployment's namespace on each sync, so one
 * namespace of 100,000 pods makes each pod's status change cost the controller-manager a walk of
 * all 100,000. Pods are placed on `nodeNames` in turn, Deployment by Deployment.
 */
export async function spreadFleet(
  cluster: TestCluster,
  prefix: string,
  replicas: number,
  sidecar: { name: string; image: string },
  options: {
    podsPerNamespace: number;
    replicasPerDeployment: number;
    nodeNames: readonly string[];
    readyTimeoutMs: number;
  },
): Promise<SpreadFleet> {
  const fleetId = `${prefix}-${randomBytes(3).toString('hex')}`;
  const count = Math.ceil(replicas / options.podsPerNamespace);
  const namespaces = Array.from({ length: count }, (_, i) => `${fleetId}-${i}`);
  for (const name of namespaces)
    await cluster.core.createNamespace({
      body: {
        metadata: { name, labels: { [FLEET_NAMESPACE_LABEL]: fleetId } },
      },
    });
  await injectSidecar(cluster, `inject-${fleetId}`, sidecar, namespaces[0]!, {
    [FLEET_NAMESPACE_LABEL]: fleetId,
  });
  const perNamespaceShards = Math.ceil(
    options.podsPerNamespace / options.replicasPerDeployment,
  );
  for (const [i, namespace] of namespaces.entries())
    await createServiceDeployments(
      cluster,
      namespace,
      Math.min(
        options.podsPerNamespace,
        replicas - i * options.podsPerNamespace,
      ),
      options.replicasPerDeployment,
      options.nodeNames,
      i * perNamespaceShards,
    );
  await awaitReadyDeployments(
    cluster,
    namespaces,
    replicas,
    options.readyTimeoutMs,
  );
  const inNamespaces = new Set(namespaces);
  const pods = await waitFor(
    async () => {
      const { items } = await listPodsPaged(cluster, undefined, 'app=fleet');
      const inFleet = items.filter(p =>
        inNamespaces.has(p.metadata!.namespace!),
      );
      return (
        inFleet.length === replicas && inFleet.every(isPodReady) && inFleet
      );
    },
    {
      what: `${replicas} Ready pods in the namespaces of ${fleetId}`,
      timeoutMs: options.readyTimeoutMs,
      intervalMs: 5_000,
    },
  );
  return { namespaces, selector: 'app=fleet', pods };
}

/** Injects `sidecar` into pods created in the namespaces matching `namespaceSelector`, and waits until it takes effect in `probeNamespace`. */
async function injectSidecar(
  cluster: TestCluster,
  name: string,
  sidecar: { name: string; image: string; native?: boolean },
  probeNamespace: string,
  namespaceSelector: Record<string, string>,
): Promise<void> {
  await createIfMissing(
    cluster.kc,
    policyAndBinding({
      name,
      container: sidecar.name,
      image: sidecar.image,
      native: sidecar.native,
      namespaceSelector,
    }),
  );
  await awaitInjectionActive(cluster.kc, probeNamespace, {}, [sidecar.name]);
}

/**
 * `replicas` pods of label app=fleet in `namespace`: one Deployment, or as many Deployments of
 * `replicasPerDeployment` as it takes. The n-th Deployment (counted from `firstShard`) places its
 * pods on the n-th of `nodeNames`, in turn, without the scheduler.
 */
async function createServiceDeployments(
  cluster: TestCluster,
  namespace: string,
  replicas: number,
  replicasPerDeployment: number,
  nodeNames: readonly string[],
  firstShard = 0,
): Promise<void> {
  const shards = Math.ceil(replicas / replicasPerDeployment);
  for (let shard = 0; shard < shards; shard++) {
    const name = shards === 1 ? 'fleet' : `fleet-${shard}`;
    const labels: Record<string, string> =
      shards === 1 ? { app: 'fleet' } : { app: 'fleet', service: name };
    await cluster.apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name, namespace, labels },
        spec: {
          replicas: Math.min(
            replicasPerDeployment,
            replicas - shard * replicasPerDeployment,
          ),
          selector: { matchLabels: labels },
          template: {
            metadata: { labels: { ...labels, zone: 'any' } },
            spec: {
              containers: [{ name: 'app', image: APP_IMAGE }],
              nodeName: nodeNames.length
                ? nodeNames[(firstShard + shard) % nodeNames.length]
                : undefined,
            },
          },
        },
      },
    });
  }
}

const PROGRESS_EVERY_MS = 30_000;

/**
 * Waits until the namespace's Deployments count `replicas` Ready pods, logging the count as it
 * grows: a sharded fleet is followed through its Deployments' status, since listing every pod
 * again and again would itself load the API server of a 100,000-pod fleet.
 */
async function awaitReadyDeployments(
  cluster: TestCluster,
  namespaces: readonly string[],
  replicas: number,
  timeoutMs: number,
): Promise<void> {
  const started = Date.now();
  let lastLog = started;
  const where =
    namespaces.length === 1
      ? namespaces[0]
      : `${namespaces[0]} and ${namespaces.length - 1} more namespaces`;
  await waitFor(
    async () => {
      const { items } = await cluster.apps.listDeploymentForAllNamespaces({
        labelSelector: 'app=fleet',
      });
      const ready = items
        .filter(d => namespaces.includes(d.metadata!.namespace!))
        .reduce((sum, d) => sum + (d.status?.readyReplicas ?? 0), 0);
      if (Date.now() - lastLog >= PROGRESS_EVERY_MS) {
        lastLog = Date.now();
        const perSecond = ready / ((lastLog - started) / 1000);
        console.log(
          `fleet ${where}: ${ready}/${replicas} pods Ready by its Deployments' status, which lags while pods are created (${perSecond.toFixed(0)}/s)`,
        );
      }
      return ready >= replicas;
    },
    {
      what: `${replicas} Ready pods in the Deployments of ${where}`,
      timeoutMs,
      intervalMs: 2_000,
    },
  );
}

/**
 * Watches a namespace's pods and records the most that were unavailable at once because of a
 * campaign: by default pods carrying its label that are not Ready; `counts` can widen that (in
 * workload mode the campaign's labels are on the Deployments, not on the pods).
 */
export async function watchUnavailability(
  cluster: TestCluster,
  namespace: string,
  campaignId: string,
  counts = (pod: V1Pod) =>
    pod.metadata?.labels?.[CAMPAIGN_LABELS.campaign] === campaignId,
) {
  const pods = new Map<string, V1Pod>();
  let max = 0;
  let changes = 0;
  const watch = new Watch(cluster.kc);
  const request = await watch.watch(
    `/api/v1/namespaces/${namespace}/pods`,
    {},
    (type: string, pod: V1Pod) => {
      const name = pod.metadata!.name!;
      if (type === 'DELETED') pods.delete(name);
      else pods.set(name, pod);
      changes += 1;
      const unavailable = [...pods.values()].filter(
        p => counts(p) && !isPodReady(p),
      ).length;
      max = Math.max(max, unavailable);
    },
    () => undefined,
  );
  return {
    get max() {
      return max;
    },
    get changes() {
      return changes;
    },
    stop: () => request.abort(),
  };
}

export function sidecarImage(
  pod: V1Pod,
  container: string,
): string | undefined {
  return [
    ...(pod.spec?.containers ?? []),
    ...(pod.spec?.initContainers ?? []),
  ].find(c => c.name === container)?.image;
}

export function sidecarRestarts(pod: V1Pod, container: string): number {
  return containerStatus(pod, container)?.restartCount ?? -1;
}

/**
 * In another cluster, the namespace of `fleet` again: same name, the same `sidecar` injected, the
 * same labels, and `replicas` pods of one Deployment.
 */
export async function sameFleetIn(
  cluster: TestCluster,
  fleet: InjectedFleet,
  sidecar: { name: string; image: string },
  replicas: number,
): Promise<void> {
  const { namespace } = fleet;
  await cluster.core.createNamespace({
    body: { metadata: { name: namespace } },
  });
  await createIfMissing(
    cluster.kc,
    policyAndBinding({
      name: `inject-${namespace}`,
      container: sidecar.name,
      image: sidecar.image,
      namespaceSelector: { 'kubernetes.io/metadata.name': namespace },
    }),
  );
  await awaitInjectionActive(cluster.kc, namespace, {}, [sidecar.name]);
  await cluster.apps.createNamespacedDeployment({
    namespace,
    body: simpleDeployment('fleet', namespace, replicas, [
      { name: 'app', image: APP_IMAGE },
    ]),
  });
  await awaitReadyPods(cluster, namespace, fleet.selector, replicas);
}
