import type { V1Pod } from '@kubernetes/client-node';
import type { ClusterAvailability, FleetResponse, FleetVersionRow } from '@internal/plugin-sidecars-common';
import { longRunningContainers, type ClusterReader } from '@internal/plugin-sidecars-node';
import { acrossClusters } from '../kubernetes/fanout';
import { compareVersions, newestVersion, versionOf } from './versions';

/** Pod counts per container name, then per cluster/namespace/image. */
type ContainerCounts = Map<string, Map<string, FleetVersionRow>>;

export interface FleetSnapshot {
  containers: ContainerCounts;
  clusters: ClusterAvailability[];
  partial: boolean;
}

function count(containers: ContainerCounts, cluster: string, pod: V1Pod): void {
  const namespace = pod.metadata?.namespace ?? '';
  for (const container of longRunningContainers(pod.spec)) {
    const image = container.image ?? '';
    let rows = containers.get(container.name);
    if (!rows) containers.set(container.name, (rows = new Map()));
    const key = `${cluster}/${namespace}/${image}`;
    const row = rows.get(key);
    if (row) row.pods += 1;
    else rows.set(key, { cluster, namespace, image, version: versionOf(image), pods: 1 });
  }
}

/**
 * The fleet-wide view: every pod of every cluster, reduced to counts. Listing whole clusters is
 * expensive, so the counts are cached for a short time and concurrent callers share one listing.
 */
export class FleetService {
  private cached?: { at: number; snapshot: Promise<FleetSnapshot> };

  constructor(
    private readonly readers: readonly ClusterReader[],
    private readonly timeoutMs: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  snapshot(): Promise<FleetSnapshot> {
    if (this.cached && this.now() - this.cached.at < this.ttlMs) return this.cached.snapshot;
    const snapshot = this.load();
    this.cached = { at: this.now(), snapshot };
    snapshot.catch(() => (this.cached = undefined));
    return snapshot;
  }

  private async load(): Promise<FleetSnapshot> {
    const fanOut = await acrossClusters(this.readers, this.timeoutMs, async reader => {
      const containers: ContainerCounts = new Map();
      for await (const pod of reader.listPods({})) count(containers, reader.cluster, pod);
      return containers;
    });
    const merged: ContainerCounts = new Map();
    for (const { value } of fanOut.results) {
      for (const [name, rows] of value) merged.set(name, new Map([...(merged.get(name) ?? []), ...rows]));
    }
    return { containers: merged, clusters: fanOut.clusters, partial: fanOut.partial };
  }

  /** Every version of `container` in the fleet (for drift). */
  async versionsOf(container: string): Promise<string[]> {
    const rows = (await this.snapshot()).containers.get(container);
    return [...new Set([...(rows?.values() ?? [])].map(r => r.version))];
  }

  async containerView(container: string): Promise<FleetResponse> {
    const snapshot = await this.snapshot();
    const rows = [...(snapshot.containers.get(container)?.values() ?? [])].sort(
      (a, b) => a.cluster.localeCompare(b.cluster) || a.namespace.localeCompare(b.namespace) || compareVersions(b.version, a.version),
    );
    const byImage = new Map<string, { version: string; image: string; pods: number }>();
    for (const row of rows) {
      const entry = byImage.get(row.image);
      if (entry) entry.pods += row.pods;
      else byImage.set(row.image, { version: row.version, image: row.image, pods: row.pods });
    }
    const versions = [...byImage.values()].sort((a, b) => compareVersions(b.version, a.version));
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
