import {
  NO_CATALOG_OWNER,
  type AccountingGroupBy,
} from '@internal/plugin-sidecars-common';

/** 0.25 → "250m"; 1.5 → "1.5 cores": CPU as Kubernetes writes it for small amounts, in cores above one. */
export function formatCores(cores: number): string {
  if (cores < 1) return `${Math.round(cores * 1000)}m`;
  return `${Number(cores.toFixed(2))} ${cores === 1 ? 'core' : 'cores'}`;
}

const MIB = 2 ** 20;
const GIB = 2 ** 30;

/** Bytes in MiB below a GiB, in GiB above. */
export function formatBytes(bytes: number): string {
  if (bytes < GIB) return `${Number((bytes / MIB).toFixed(1))} MiB`;
  return `${Number((bytes / GIB).toFixed(2))} GiB`;
}

/** A fraction as a percent with one decimal below 10%, e.g. "4.2%". */
export function formatPercent(share: number): string {
  const percent = share * 100;
  return `${percent < 10 ? Number(percent.toFixed(1)) : Math.round(percent)}%`;
}

/** A group's key as a reader names it: "group:default/team-payments" → "team-payments". */
export function groupLabel(key: string, groupBy: AccountingGroupBy): string {
  if (groupBy !== 'team' || key === NO_CATALOG_OWNER) return key;
  const match = /^(?:group:)?(?:default\/)?(.+)$/.exec(key);
  return match?.[1] ?? key;
}

export const GROUP_BY_LABELS: Record<AccountingGroupBy, string> = {
  team: 'Owning team',
  cluster: 'Cluster',
  namespace: 'Namespace',
};
