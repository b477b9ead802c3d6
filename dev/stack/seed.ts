import {
  CoreV1Api,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import { createIfMissing, kubeConfigFrom } from './cluster-objects';
import {
  DEMO_FLEET,
  deploymentObject,
  namespaceObject,
  type DemoFleet,
} from './demo-fleet';
import { injectionPolicies } from './injection-policies';
import type { StackCluster } from './kube-clusters';
import { fleetOf } from './second-cluster-fleet';
import { waitFor } from './wait';

/** Seeds a demo fleet (the first cluster's by default); safe to run again on a cluster that already has it. */
export async function seedDemoFleet(
  kc: KubeConfig,
  fleet: DemoFleet = DEMO_FLEET,
): Promise<number> {
  const created = await createIfMissing(kc, [
    ...fleet.namespaces.map(namespaceObject),
    ...injectionPolicies(),
  ]);
  const probed = fleet.namespaces.find(
    ns => ns.istioRevision && ns.injectFluentBit,
  )!.name;
  await awaitInjectionActive(
    kc,
    probed,
    { 'sidecar.istio.io/inject': 'true' },
    ['istio-proxy', 'fluent-bit'],
  );
  return (
    created + (await createIfMissing(kc, fleet.services.map(deploymentObject)))
  );
}

/**
 * Admission policies take effect a moment after they are created; a server-side dry run of a
 * pod tells when the injector is live, so no demo pod is created without its sidecars.
 */
export async function awaitInjectionActive(
  kc: KubeConfig,
  namespace: string,
  labels: Record<string, string>,
  sidecars: string[],
): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const probe: V1Pod = {
    metadata: { name: 'injection-probe', labels },
    spec: {
      containers: [{ name: 'probe', image: 'registry.example.com/probe:1' }],
    },
  };
  await waitFor(
    async () => {
      const pod = await core.createNamespacedPod({
        namespace,
        body: probe,
        dryRun: 'All',
      });
      const names = [
        ...(pod.spec?.containers ?? []),
        ...(pod.spec?.initContainers ?? []),
      ].map(c => c.name);
      return sidecars.every(sidecar => names.includes(sidecar));
    },
    {
      what: 'the sidecar injection policies to take effect',
      timeoutMs: 30_000,
    },
  );
}

/** Seeds each cluster's demo fleet; what each seeding created, by cluster name. */
export async function seedEveryCluster(
  clusters: readonly StackCluster[],
): Promise<Array<{ cluster: string; created: number }>> {
  return Promise.all(
    clusters.map(async ({ name, kubeconfigPath }) => ({
      cluster: name,
      created: await seedDemoFleet(
        kubeConfigFrom(kubeconfigPath),
        fleetOf(name),
      ),
    })),
  );
}
