import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';

/** One Kubernetes cluster the worker may act on. */
export interface ClusterConnection {
  name: string;
  /** A kubeconfig file; with neither this nor inCluster, the default loading rules apply. */
  kubeconfig?: string;
  context?: string;
  inCluster?: boolean;
}

export type ClusterRegistry = ReadonlyMap<string, KubeConfig>;

export const DEFAULT_CLUSTER_NAME = 'local';

export function kubeConfigFor(connection: ClusterConnection): KubeConfig {
  const kc = new KubeConfig();
  if (connection.inCluster) kc.loadFromCluster();
  else if (connection.kubeconfig) kc.loadFromFile(connection.kubeconfig);
  else kc.loadFromDefault();
  if (connection.context) kc.setCurrentContext(connection.context);
  return kc;
}

/**
 * Clusters from the YAML file named by SIDECAR_CLUSTERS_FILE (`clusters: [{ name, kubeconfig?,
 * context?, inCluster? }]`), else one cluster named "local" from KUBECONFIG or in-cluster credentials.
 */
export function clustersFromEnvironment(env: NodeJS.ProcessEnv = process.env): ClusterRegistry {
  const file = env.SIDECAR_CLUSTERS_FILE;
  const connections: ClusterConnection[] = file
    ? parseClustersFile(file)
    : [{ name: env.SIDECAR_CLUSTER_NAME ?? DEFAULT_CLUSTER_NAME, inCluster: !env.KUBECONFIG && Boolean(env.KUBERNETES_SERVICE_HOST) }];
  return new Map(connections.map(c => [c.name, kubeConfigFor(c)]));
}

function parseClustersFile(file: string): ClusterConnection[] {
  const document = parse(readFileSync(file, 'utf8')) as { clusters?: unknown };
  if (!Array.isArray(document?.clusters) || document.clusters.length === 0) {
    throw new Error(`${file}: expected a non-empty "clusters" list of { name, kubeconfig?, context?, inCluster? }`);
  }
  return document.clusters.map((entry: Partial<ClusterConnection>, i: number) => {
    if (typeof entry?.name !== 'string' || entry.name === '') throw new Error(`${file}: clusters[${i}].name is required`);
    return entry as ClusterConnection;
  });
}
