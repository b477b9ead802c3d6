import { WarningPanel } from '@backstage/core-components';
import type { ClusterAvailability } from '@internal/plugin-sidecars-common';

/** Names the clusters that did not answer, so nobody mistakes a partial result for the whole fleet. */
export function PartialResultWarning(props: {
  clusters: readonly ClusterAvailability[];
}) {
  const silent = props.clusters.filter(cluster => !cluster.ok);
  if (silent.length === 0) return null;
  return (
    <WarningPanel
      title={`Partial result: ${silent.length === 1 ? 'cluster' : 'clusters'} ${silent.map(cluster => cluster.name).join(', ')} did not answer`}
      message="Pods in these clusters are missing below. Reload in a minute; if it persists, check the cluster's connection settings and credentials."
    >
      <ul>
        {silent.map(cluster => (
          <li key={cluster.name}>
            <strong>{cluster.name}</strong>: {cluster.error ?? 'no answer'}
          </li>
        ))}
      </ul>
    </WarningPanel>
  );
}
