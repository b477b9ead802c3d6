import type { V1Deployment, V1PodSpec } from '@kubernetes/client-node';
import type { TestCluster } from './cluster';

/**
 * Creates a Deployment `name` whose pods carry `app=<name>` and `labels`, rolling at most
 * `maxUnavailable` pods at a time and none extra (maxSurge 0), so that a campaign's pod budget is
 * what the test sets.
 */
export function createRollingDeployment(
  cluster: TestCluster,
  namespace: string,
  name: string,
  options: {
    replicas: number;
    maxUnavailable: number;
    labels?: Record<string, string>;
    spec: V1PodSpec;
  },
): Promise<V1Deployment> {
  return cluster.apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name, namespace, labels: options.labels },
      spec: {
        replicas: options.replicas,
        selector: { matchLabels: { app: name } },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: {
            maxUnavailable: options.maxUnavailable,
            maxSurge: 0,
          },
        },
        template: {
          metadata: { labels: { app: name, ...options.labels } },
          spec: options.spec,
        },
      },
    },
  });
}
