import type { V1Container, V1Deployment } from '@kubernetes/client-node';
import {
  awaitReadyPods,
  createTestNamespace,
  type TestCluster,
} from '../support/cluster';
import { APP_IMAGE } from '../support/fleet';
import {
  FLEET_LABELS,
  WORKLOAD_OLD_IMAGE,
  WORKLOAD_SIDECAR,
} from './campaign-run';

const REPLICAS = 3;

/** A Deployment declaring the sidecar in its template; each rollout takes at most one pod down. */
function declaringDeployment(
  name: string,
  namespace: string,
  labels: Record<string, string>,
): V1Deployment {
  const sidecar: V1Container = {
    name: WORKLOAD_SIDECAR,
    image: WORKLOAD_OLD_IMAGE,
  };
  return {
    metadata: { name, namespace },
    spec: {
      replicas: REPLICAS,
      selector: { matchLabels: { name } },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
      },
      template: {
        metadata: { labels: { ...labels, name } },
        spec: { containers: [{ name: 'app', image: APP_IMAGE }, sidecar] },
      },
    },
  };
}

/** `count` Deployments selected by app=fleet and one bystander Deployment the selector leaves out. */
export async function workloadFleet(
  cluster: TestCluster,
  prefix: string,
  count: number,
): Promise<string> {
  const namespace = await createTestNamespace(cluster, prefix);
  const deployments = [
    ...Array.from({ length: count }, (_, i) =>
      declaringDeployment(`service-${i}`, namespace, FLEET_LABELS),
    ),
    declaringDeployment('bystander', namespace, { app: 'bystander' }),
  ];
  for (const body of deployments)
    await cluster.apps.createNamespacedDeployment({ namespace, body });
  await awaitReadyPods(cluster, namespace, 'app=fleet', count * REPLICAS);
  return namespace;
}
