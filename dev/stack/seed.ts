import {
  CoreV1Api,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import { createIfMissing } from './cluster-objects';
import {
  DEMO_NAMESPACES,
  DEMO_SERVICES,
  deploymentObject,
  namespaceObject,
} from './demo-fleet';
import { injectionPolicies } from './injection-policies';
import { waitFor } from './wait';

/** Seeds the demo fleet; safe to run again on a cluster that already has it. */
export async function seedDemoFleet(kc: KubeConfig): Promise<number> {
  const created = await createIfMissing(kc, [
    ...DEMO_NAMESPACES.map(namespaceObject),
    ...injectionPolicies(),
  ]);
  const probed = DEMO_NAMESPACES.find(
    ns => ns.istioRevision && ns.injectFluentBit,
  )!.name;
  await awaitInjectionActive(
    kc,
    probed,
    { 'sidecar.istio.io/inject': 'true' },
    ['istio-proxy', 'fluent-bit'],
  );
  return (
    created + (await createIfMissing(kc, DEMO_SERVICES.map(deploymentObject)))
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
