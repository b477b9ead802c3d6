import { resolve } from 'node:path';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { ClusterSettings } from '../config';

/** API clients for one configured cluster. */
export interface ClusterClient {
  name: string;
  core: CoreV1Api;
  apps: AppsV1Api;
}

function kubeConfigFor(cluster: ClusterSettings): KubeConfig {
  const kc = new KubeConfig();
  switch (cluster.authProvider) {
    case 'inCluster':
      kc.loadFromCluster();
      break;
    case 'kubeconfig':
      kc.loadFromFile(resolve(cluster.kubeconfigPath ?? ''));
      if (cluster.context) kc.setCurrentContext(cluster.context);
      break;
    case 'serviceAccount':
      kc.loadFromOptions({
        clusters: [
          {
            name: cluster.name,
            server: cluster.url ?? '',
            caData: cluster.caData,
            caFile: cluster.caFile,
            skipTLSVerify: cluster.skipTLSVerify,
          },
        ],
        users: [{ name: `${cluster.name}-sa`, token: cluster.serviceAccountToken }],
        contexts: [{ name: cluster.name, cluster: cluster.name, user: `${cluster.name}-sa` }],
        currentContext: cluster.name,
      });
      break;
  }
  if (cluster.url && cluster.authProvider !== 'serviceAccount') {
    const current = kc.getCurrentCluster();
    if (current) kc.clusters = kc.clusters.map(c => (c.name === current.name ? { ...c, server: cluster.url! } : c));
  }
  if (cluster.skipTLSVerify) kc.clusters = kc.clusters.map(c => ({ ...c, skipTLSVerify: true }));
  return kc;
}

/**
 * Clients for every configured cluster. A cluster whose credentials cannot be loaded (e.g. its
 * kubeconfig does not exist yet) fails each call, so it shows up as a cluster that did not answer
 * instead of keeping the backend from starting.
 */
export function createClusterClients(clusters: readonly ClusterSettings[]): ClusterClient[] {
  return clusters.map(cluster => {
    let clients: { core: CoreV1Api; apps: AppsV1Api } | undefined;
    const load = () => {
      if (!clients) {
        const kc = kubeConfigFor(cluster);
        clients = { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) };
      }
      return clients;
    };
    return {
      name: cluster.name,
      get core() {
        return load().core;
      },
      get apps() {
        return load().apps;
      },
    };
  });
}
