import type {
  FleetResponse,
  InventoryClusterAvailability,
} from '@internal/plugin-sidecars-common';
import type { ClusterReader } from '@internal/plugin-sidecars-node';
import { fromEachCluster, type Listed } from './clusterSources';
import type { ClusterWatch } from './clusterWatch';
import { FleetCounts, type ContainerCounts } from './fleetCounts';
import type { PodCache } from './podCache';
import { trimPod } from './trimmedPod';
import { compareVersions, newestVersion } from './versions';

export interface FleetSnapshot {
  containers: ContainerCounts;
  clusters: InventoryClusterAvailability[];
  partial: boolean;
}

/**
 * The fleet-wide view: every pod of every cluster, reduced to counts. A cluster its watch cache
 * serves is read from the counts the cache keeps (copied again only after a pod changed); one that
 * must be listed is listed at most once per `ttlMs`, and concurrent callers share that listing.
 */
export class FleetService {
  private readonly counted = new WeakMap<
    ClusterWatch,
    { version: number; counts: ContainerCounts }
  >();
  private readonly listed = new Map<
    string,
    { at: number; listing: Promise<Listed<ContainerCounts>> }
  >();

  constructor(
    private readonly readers: readonly ClusterReader[],
    private readonly timeoutMs: number,
    private readonly ttlMs: number,
    private readonly cache?: PodCache,
    private readonly now: () => number = Date.now,
  ) {}

  async snapshot(): Promise<FleetSnapshot> {
    const fanOut = await fromEachCluster(
      this.readers,
      this.cache,
      this.timeoutMs,
      {
        fromWatch: watch => this.fromWatch(watch),
        fromList: reader => this.fromList(reader),
      },
    );
    const merged: ContainerCounts = new Map();
    for (const { value } of fanOut.results) {
      for (const [name, rows] of value)
        merged.set(name, new Map([...(merged.get(name) ?? []), ...rows]));
    }
    return {
      containers: merged,
      clusters: fanOut.clusters,
      partial: fanOut.partial,
    };
  }

  private fromWatch(watch: ClusterWatch): ContainerCounts {
    const counted = this.counted.get(watch);
    if (counted?.version === watch.pods.version) return counted.counts;
    const counts = watch.counts.snapshot();
    this.counted.set(watch, { version: watch.pods.version, counts });
    return counts;
  }

  private fromList(reader: ClusterReader): Promise<Listed<ContainerCounts>> {
    const cached = this.listed.get(reader.cluster);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.listing;
    const listing = (async () => {
      const listedAt = new Date(this.now());
      const counts = new FleetCounts(reader.cluster);
      for await (const pod of reader.listPods({})) counts.add(trimPod(pod));
      return { value: counts.snapshot(), listedAt };
    })();
    this.listed.set(reader.cluster, { at: this.now(), listing });
    listing.catch(() => this.listed.delete(reader.cluster));
    return listing;
  }

  /** Every version of `container` in the fleet (for drift). */
  async versionsOf(container: string): Promise<string[]> {
    const rows = (await this.snapshot()).containers.get(container);
    return [...new Set([...(rows?.values() ?? [])].map(r => r.version))];
  }

  async containerView(container: string): Promise<FleetResponse> {
    const snapshot = await this.snapshot();
    const rows = [...(snapshot.containers.get(container)?.values() ?? [])].sort(
      (a, b) =>
        a.cluster.localeCompare(b.cluster) ||
        a.namespace.localeCompare(b.namespace) ||
        compareVersions(b.version, a.version),
    );
    const byImage = new Map<
      string,
      { version: string; image: string; pods: number }
    >();
    for (const row of rows) {
      const entry = byImage.get(row.image);
      if (entry) entry.pods += row.pods;
      else
        byImage.set(row.image, {
          version: row.version,
          image: row.image,
          pods: row.pods,
        });
    }
    const versions = [...byImage.values()].sort((a, b) =>
      compareVersions(b.version, a.version),
    );
    const newest = newestVersion(versions.map(v => v.version));
    return {
      container,
      ...(newest !== undefined ? { newestVersion: newest } : {}),
      versions,
      rows: rows.map(row => ({ ...row })),
      clusters: snapshot.clusters,
      partial: snapshot.partial,
    };
  }
}
