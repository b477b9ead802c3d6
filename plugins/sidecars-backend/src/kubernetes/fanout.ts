import type { ClusterAvailability } from '@internal/plugin-sidecars-common';
import type { ClusterClient } from './clusters';
import { describeClusterError } from './requests';

export interface FanOutResult<T> {
  results: Array<{ cluster: ClusterClient; value: T }>;
  clusters: ClusterAvailability[];
  partial: boolean;
}

/** Runs `work` on every cluster at once; a cluster that fails is reported, not fatal. */
export async function acrossClusters<T>(clients: readonly ClusterClient[], timeoutMs: number, work: (cluster: ClusterClient) => Promise<T>): Promise<FanOutResult<T>> {
  const settled = await Promise.allSettled(clients.map(work));
  const results: FanOutResult<T>['results'] = [];
  const clusters: ClusterAvailability[] = settled.map((outcome, i) => {
    const cluster = clients[i]!;
    if (outcome.status === 'fulfilled') {
      results.push({ cluster, value: outcome.value });
      return { name: cluster.name, ok: true };
    }
    return { name: cluster.name, ok: false, error: describeClusterError(outcome.reason, timeoutMs) };
  });
  return { results, clusters, partial: clusters.some(c => !c.ok) };
}
