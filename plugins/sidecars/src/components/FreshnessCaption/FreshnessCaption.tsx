import { Typography } from '@material-ui/core';
import type { InventoryClusterAvailability } from '@internal/plugin-sidecars-common';
import { formatDuration, formatTime } from '../../format';

/** "live (watch)" for a cluster served from the backend's watch cache, "listed 3 s ago" for one it listed. */
function freshnessOf(
  cluster: InventoryClusterAvailability,
  now: number,
): string | undefined {
  if (!cluster.ok || !cluster.source) return undefined;
  if (cluster.source === 'watch') return 'live (watch)';
  const age = cluster.syncedAt
    ? (now - Date.parse(cluster.syncedAt)) / 1000
    : undefined;
  return age === undefined || Number.isNaN(age)
    ? 'listed'
    : `listed ${formatDuration(age)} ago`;
}

/** One line under an inventory or fleet answer: how fresh each cluster's pods are, and why a watch was not used. */
export function FreshnessCaption(props: {
  clusters: readonly InventoryClusterAvailability[];
  now?: number;
}) {
  const now = props.now ?? Date.now();
  const parts = props.clusters.flatMap(cluster => {
    const freshness = freshnessOf(cluster, now);
    return freshness
      ? [
          {
            cluster,
            text:
              props.clusters.length === 1
                ? freshness
                : `${cluster.name}: ${freshness}`,
          },
        ]
      : [];
  });
  if (parts.length === 0) return null;
  return (
    <Typography
      variant="caption"
      color="textSecondary"
      component="p"
      data-testid="inventory-freshness"
    >
      {parts.map(({ cluster, text }, i) => (
        <span
          key={cluster.name}
          title={
            [
              cluster.syncedAt && `as of ${formatTime(cluster.syncedAt)}`,
              cluster.watchError && `watch unavailable: ${cluster.watchError}`,
            ]
              .filter(Boolean)
              .join('; ') || undefined
          }
        >
          {i > 0 && ' · '}
          {text}
        </span>
      ))}
    </Typography>
  );
}
