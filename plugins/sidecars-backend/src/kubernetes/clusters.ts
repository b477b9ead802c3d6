import {
  kubeConfigFor,
  KubeClusterReader,
  type ClusterReader,
  type ClusterSettings,
} from '@internal/plugin-sidecars-node';

/**
 * A reader for every configured cluster, each call bounded by `timeoutMs`. Credentials load on first
 * use, so a cluster whose kubeconfig does not exist yet shows up as a cluster that did not answer
 * instead of keeping the backend from starting.
 */
export function createClusterReaders(
  clusters: readonly ClusterSettings[],
  timeoutMs: number,
  isCampaignActive: (campaignId: string) => Promise<boolean>,
): ClusterReader[] {
  return clusters.map(
    cluster =>
      new KubeClusterReader(cluster.name, () => kubeConfigFor(cluster), {
        timeoutMs,
        isCampaignActive,
      }),
  );
}
