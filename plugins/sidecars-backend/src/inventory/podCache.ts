import { CAMPAIGN_LABELS } from '@internal/plugin-sidecars-common';
import {
  kubeConfigFor,
  type ClusterSettings,
} from '@internal/plugin-sidecars-node';
import { ClusterWatch, type ClusterWatchOptions } from './clusterWatch';

/** A watch cache per configured cluster, started with the backend and stopped with it. */
export class PodCache {
  private readonly watches: Map<string, ClusterWatch>;

  constructor(
    clusters: readonly ClusterSettings[],
    options: ClusterWatchOptions,
  ) {
    this.watches = new Map(
      clusters.map(cluster => [
        cluster.name,
        new ClusterWatch(cluster.name, () => kubeConfigFor(cluster), options),
      ]),
    );
  }

  /** Resolves once every cluster's informers made their first attempt; a cluster that is down does not hold the others up. */
  async start(): Promise<void> {
    await Promise.all([...this.watches.values()].map(watch => watch.start()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.watches.values()].map(watch => watch.stop()));
  }

  /** The labels of every cached pod that carries a campaign's label, in every cluster. */
  *campaignPodLabels(
    campaignId: string,
  ): Generator<Readonly<Record<string, string>>> {
    const selection = {
      labelSelector: `${CAMPAIGN_LABELS.campaign}=${campaignId}`,
    };
    for (const watch of this.watches.values())
      for (const pod of watch.pods.select(selection))
        yield pod.metadata.labels ?? {};
  }

  cluster(name: string): ClusterWatch | undefined {
    return this.watches.get(name);
  }
}
