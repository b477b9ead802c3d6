import type { InventoryClusterAvailability } from '@internal/plugin-sidecars-common';
import {
  describeClusterError,
  type ClusterReader,
} from '@internal/plugin-sidecars-node';
import type { ClusterWatch } from './clusterWatch';
import type { PodCache } from './podCache';

/** What a direct list found, and when it was made. */
export interface Listed<T> {
  value: T;
  listedAt: Date;
}

export interface SourcedResult<T> {
  results: Array<{ cluster: string; value: T }>;
  clusters: InventoryClusterAvailability[];
  /** True when at least one cluster answered neither from its watch nor from a list. */
  partial: boolean;
}

export interface ClusterSources<T> {
  fromWatch(watch: ClusterWatch): T;
  fromList(reader: ClusterReader): Promise<Listed<T>>;
}

/**
 * Every cluster's part of an answer: from its watch cache while that serves it, else from a direct
 * list (bounded by `timeoutMs`); a cluster that does not answer the list either is reported, with
 * why its watch could not serve it.
 */
export async function fromEachCluster<T>(
  readers: readonly ClusterReader[],
  cache: PodCache | undefined,
  timeoutMs: number,
  sources: ClusterSources<T>,
): Promise<SourcedResult<T>> {
  const answers = await Promise.all(
    readers.map(
      async (
        reader,
      ): Promise<{ availability: InventoryClusterAvailability; value?: T }> => {
        const watch = cache?.cluster(reader.cluster);
        const freshness = watch?.freshness();
        if (watch && freshness?.serving) {
          return {
            availability: {
              name: reader.cluster,
              ok: true,
              source: 'watch',
              syncedAt: freshness.syncedAt.toISOString(),
            },
            value: sources.fromWatch(watch),
          };
        }
        const watchError =
          freshness && !freshness.serving
            ? { watchError: freshness.reason }
            : {};
        try {
          const listed = await sources.fromList(reader);
          return {
            availability: {
              name: reader.cluster,
              ok: true,
              source: 'list',
              syncedAt: listed.listedAt.toISOString(),
              ...watchError,
            },
            value: listed.value,
          };
        } catch (error) {
          return {
            availability: {
              name: reader.cluster,
              ok: false,
              error: describeClusterError(error, timeoutMs),
              ...watchError,
            },
          };
        }
      },
    ),
  );
  const results = answers.flatMap((answer, i) =>
    answer.availability.ok
      ? [{ cluster: readers[i]!.cluster, value: answer.value as T }]
      : [],
  );
  const clusters = answers.map(answer => answer.availability);
  return { results, clusters, partial: clusters.some(c => !c.ok) };
}
