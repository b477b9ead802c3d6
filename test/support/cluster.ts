import { randomBytes } from 'node:crypto';
import {
  AppsV1Api,
  CoreV1Api,
  type V1Deployment,
  type V1Pod,
  type V1PodList,
} from '@kubernetes/client-node';
import { listSnapshot, PooledKubeConfig } from '@internal/plugin-sidecars-node';
import {
  STACK_CLUSTERS,
  type StackClusterName,
} from '@internal/dev-stack/stack/stack-clusters';
import { waitFor } from '@internal/dev-stack/stack/wait';

/** The kubeconfig `npm test` gives for one of its clusters (KUBECONFIG, KUBECONFIG_KWOK_2). */
export function stackKubeconfigPath(name: StackClusterName): string {
  const { kubeconfigEnv } = STACK_CLUSTERS.find(c => c.name === name)!;
  const path = process.env[kubeconfigEnv];
  if (!path)
    throw new Error(
      `${kubeconfigEnv} is not set: ${name} runs only in a stack started with it (npm test and npm start start it, the chaos runner and benches do not)`,
    );
  return path;
}

/** Clients for a cluster the test runner started: `local` (KUBECONFIG) unless named. */
export function testCluster(name: StackClusterName = 'local') {
  const kc = new PooledKubeConfig();
  // local follows the default loading rules, as it always has: tests may point KUBECONFIG elsewhere.
  if (name === 'local') kc.loadFromDefault();
  else kc.loadFromFile(stackKubeconfigPath(name));
  return {
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
  };
}

export type TestCluster = ReturnType<typeof testCluster>;

export async function createTestNamespace(
  cluster: TestCluster,
  prefix: string,
): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await cluster.core.createNamespace({ body: { metadata: { name } } });
  return name;
}

/** True when a pod's or a node's status has condition Ready True. */
export function isReady(object: {
  status?: { conditions?: Array<{ type: string; status: string }> };
}): boolean {
  return (
    object.status?.conditions?.some(
      c => c.type === 'Ready' && c.status === 'True',
    ) ?? false
  );
}

export const isPodReady: (pod: V1Pod) => boolean = isReady;

export function containerStatus(pod: V1Pod, name: string) {
  return [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
  ].find(s => s.name === name);
}

/** Pods are listed in pages: one response for a 100,000-pod fleet would outgrow V8's largest string. */
const LIST_PAGE = 5_000;

export async function listPods(
  cluster: TestCluster,
  namespace: string,
  labelSelector?: string,
): Promise<V1Pod[]> {
  return (await listPodsPaged(cluster, namespace, labelSelector)).items;
}

/**
 * The pods of `namespace`, or of every namespace when it is undefined, as one consistent list, page
 * by page; the result carries the snapshot's resourceVersion, to watch from.
 */
export async function listPodsPaged(
  cluster: TestCluster,
  namespace: string | undefined,
  labelSelector?: string,
): Promise<V1PodList> {
  const { items, resourceVersion } = await listSnapshot(
    async token => {
      const request = { labelSelector, limit: LIST_PAGE, _continue: token };
      const page = await (namespace
        ? cluster.core.listNamespacedPod({ namespace, ...request })
        : cluster.core.listPodForAllNamespaces(request));
      return {
        items: page.items,
        continueToken: page.metadata?._continue,
        resourceVersion: page.metadata?.resourceVersion,
      };
    },
    pod => pod,
  );
  return { metadata: { resourceVersion }, items };
}

export function simpleDeployment(
  name: string,
  namespace: string,
  replicas: number,
  containers: Array<{ name: string; image: string }>,
): V1Deployment {
  return {
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers } },
    },
  };
}

export async function awaitReadyPods(
  cluster: TestCluster,
  namespace: string,
  labelSelector: string,
  count: number,
  timeoutMs = 60_000,
): Promise<V1Pod[]> {
  return waitFor(
    async () => {
      const pods = await listPods(cluster, namespace, labelSelector);
      return pods.length === count && pods.every(isPodReady) && pods;
    },
    // Listing thousands of pods is itself load: ask less often for big fleets.
    {
      what: `${count} Ready pods matching ${labelSelector} in ${namespace}`,
      timeoutMs,
      intervalMs: Math.max(200, count / 5),
    },
  );
}
