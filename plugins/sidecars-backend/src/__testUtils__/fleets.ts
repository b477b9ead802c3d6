import {
  createTestNamespace,
  awaitReadyPods,
  simpleDeployment,
  testCluster,
} from '@internal/stack-tests/support/cluster';
import { injectedFleet } from '@internal/stack-tests/support/fleet';
import { waitFor } from '@internal/dev-stack/stack/wait';
import type {
  CampaignDetail,
  CampaignPhase,
} from '@internal/plugin-sidecars-common';
import { component } from './harness';
import type { startSidecarsBackend } from './harness';

export const OLD_ISTIO = 'docker.io/istio/proxyv2:1.22.3';
export const NEW_ISTIO = 'docker.io/istio/proxyv2:1.23.1';

/** A namespace of `replicas` Ready pods with istio-proxy injected, and the catalog component (owned by team-payments) that maps to them. */
export async function ownedFleet(prefix: string, replicas: number) {
  const cluster = testCluster();
  const fleet = await injectedFleet(cluster, prefix, replicas, {
    name: 'istio-proxy',
    image: OLD_ISTIO,
  });
  const entity = component(fleet.namespace, 'group:default/team-payments', {
    'backstage.io/kubernetes-label-selector': fleet.selector,
    'backstage.io/kubernetes-namespace': fleet.namespace,
  });
  return {
    ...fleet,
    entity,
    entityRef: `component:default/${fleet.namespace}`,
  };
}

/** A Deployment that declares istio-proxy in its own pod template (so only mode "workload" may upgrade it). */
export async function declaredFleet(prefix: string) {
  const cluster = testCluster();
  const namespace = await createTestNamespace(cluster, prefix);
  await cluster.apps.createNamespacedDeployment({
    namespace,
    body: simpleDeployment('declared', namespace, 2, [
      { name: 'app', image: 'registry.example.com/app:1.0.0' },
      { name: 'istio-proxy', image: OLD_ISTIO },
    ]),
  });
  await awaitReadyPods(cluster, namespace, 'app=declared', 2);
  return { namespace };
}

type Harness = Awaited<ReturnType<typeof startSidecarsBackend>>;

export function awaitCampaign(
  harness: Harness,
  user: string,
  id: string,
  accept: (detail: CampaignDetail) => boolean,
  what: string,
  timeoutMs = 90_000,
) {
  return waitFor(
    async () => {
      const res = await harness.as(user).get(`/campaigns/${id}`);
      if (res.status !== 200)
        throw new Error(
          `GET /campaigns/${id} answered ${res.status}: ${JSON.stringify(res.body)}`,
        );
      const detail = res.body as CampaignDetail;
      return accept(detail) && detail;
    },
    { what: `campaign ${id}: ${what}`, timeoutMs, intervalMs: 200 },
  );
}

export const inPhase =
  (...phases: CampaignPhase[]) =>
  (detail: CampaignDetail) =>
    phases.includes(detail.phase);
