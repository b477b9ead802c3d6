import type { KubeConfig } from '@kubernetes/client-node';
import {
  kubeConfigFor,
  readClustersFile,
  type ClusterSettings,
} from '@internal/plugin-sidecars-node';

export type ClusterRegistry = ReadonlyMap<string, KubeConfig>;

export const DEFAULT_CLUSTER_NAME = 'local';

/**
 * The worker's clusters: those of the YAML file named by SIDECAR_CLUSTERS_FILE, in the format of the
 * backend's `sidecars.clusters`; else one cluster (named SIDECAR_CLUSTER_NAME, default "local") from
 * KUBECONFIG or, in a pod, its in-cluster credentials.
 */
function clusterSettingsFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): ClusterSettings[] {
  if (env.SIDECAR_CLUSTERS_FILE)
    return readClustersFile(env.SIDECAR_CLUSTERS_FILE);
  const inCluster = !env.KUBECONFIG && Boolean(env.KUBERNETES_SERVICE_HOST);
  return [
    {
      name: env.SIDECAR_CLUSTER_NAME ?? DEFAULT_CLUSTER_NAME,
      authProvider: inCluster ? 'inCluster' : 'kubeconfig',
      skipTLSVerify: false,
    },
  ];
}

export function clustersFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): ClusterRegistry {
  return new Map(
    clusterSettingsFromEnvironment(env).map(cluster => [
      cluster.name,
      kubeConfigFor(cluster),
    ]),
  );
}
