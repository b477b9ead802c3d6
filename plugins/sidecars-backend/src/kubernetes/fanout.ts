import type { ClusterAvailability } from '@internal/plugin-sidecars-common';
import {
  describeClusterError,
  type ClusterReader,
} from '@internal/plugin-sidecars-node';

export interface FanOutResult<T> {
  results: Array<{ reader: ClusterReader; value: T }>;
  clusters: ClusterAvailability[];
  partial: boolean;
}

/** Runs `work` on every cluster at once; a cluster that fails is reported, not fatal. */
export async function acrossClusters<T>(
  readers: readonly ClusterReader[],
  timeoutMs: number,
  work: (reader: ClusterReader) => Promise<T>,
): Promise<FanOutResult<T>> {
  const settled = await Promise.allSettled(readers.map(work));
  const results: FanOutResult<T>['results'] = [];
  const clusters: ClusterAvailability[] = settled.map((outcome, i) => {
    const reader = readers[i]!;
    if (outcome.status === 'fulfilled') {
      results.push({ reader, value: outcome.value });
      return { name: reader.cluster, ok: true };
    }
    return {
      name: reader.cluster,
      ok: false,
      error: describeClusterError(outcome.reason, timeoutMs),
    };
  });
  return { results, clusters, partial: clusters.some(c => !c.ok) };
}
