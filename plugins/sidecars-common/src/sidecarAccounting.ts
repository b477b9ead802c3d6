import type { InventoryClusterAvailability } from './api';
import {
  crashLoopedWithin,
  DAY_MS,
  HOUR_MS,
  restartFigures,
  type RestartFigures,
  type RestartHistory,
} from './restartWindows';
import { START_ORDERING_KINDS, type StartOrderingKind } from './startOrdering';

/** What a sidecar's cost is summed by: cluster, cluster/namespace, or the catalog owner of the pods' entity. */
export const ACCOUNTING_GROUP_BYS = ['cluster', 'namespace', 'team'] as const;
export type AccountingGroupBy = (typeof ACCOUNTING_GROUP_BYS)[number];

/** The team key of pods no catalog entity maps to. */
export const NO_CATALOG_OWNER = '(no catalog owner)';

export interface ResourceFigures {
  cpuCores: number;
  memoryBytes: number;
}

/** One pod as the accounting reads it; quantities already in cores and bytes. */
export interface AccountedPod {
  cluster: string;
  namespace: string;
  /** The catalog owner of the entity whose selector matches the pod. */
  team?: string;
  workload: { kind: string; name: string };
  /** Requests of every container that runs for the pod's lifetime. */
  requests: ResourceFigures;
  /** The sidecar's part, when the pod runs it. */
  sidecar?: AccountedSidecar;
}

export interface AccountedSidecar extends RestartHistory {
  requests: Partial<ResourceFigures>;
  limits: Partial<ResourceFigures>;
  ordering: StartOrderingKind;
}

export interface SidecarCostGroup {
  /** The cluster, `cluster/namespace`, the owner's entity ref, NO_CATALOG_OWNER, or `fleet` for the total. */
  key: string;
  /** Pods running the sidecar. */
  pods: number;
  requests: ResourceFigures;
  /** Limits summed over the pods that set one; `unlimitedPods` counts those that do not. */
  limits: ResourceFigures;
  unlimitedPods: { cpu: number; memory: number };
  /** The sidecar's requests as a fraction (0..1) of all requests of every pod in the group, with the sidecar or not. */
  shareOfRequests: { cpu: number; memory: number };
  restarts: RestartFigures;
  /** Pods whose sidecar is in CrashLoopBackOff now, or restarted 3 times within the last hour / day. */
  crashLoopingPods: { now: number; lastHour: number; lastDay: number };
  /** Pods per start-ordering kind of the sidecar. */
  startOrdering: Record<StartOrderingKind, number>;
}

export interface AccountedWorkload {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  team?: string;
  pods: number;
}

export interface RestartOffender extends AccountedWorkload {
  restarts: RestartFigures;
  crashLoopingPods: number;
}

export interface StartOrderingRisk extends AccountedWorkload {
  ordering: StartOrderingKind;
}

export interface SidecarAccounting {
  container: string;
  groupBy: AccountingGroupBy;
  fleet: SidecarCostGroup;
  /** Largest CPU requests first. */
  groups: SidecarCostGroup[];
  /** Workloads whose sidecar restarted in the last day, most restarts first (at most TOP_WORKLOADS). */
  topRestarting: RestartOffender[];
  /** Workloads whose sidecar has no start ordering, most pods first (at most TOP_WORKLOADS). */
  unorderedWorkloads: StartOrderingRisk[];
}

export const TOP_WORKLOADS = 10;

const emptyGroup = (key: string): SidecarCostGroup => ({
  key,
  pods: 0,
  requests: { cpuCores: 0, memoryBytes: 0 },
  limits: { cpuCores: 0, memoryBytes: 0 },
  unlimitedPods: { cpu: 0, memory: 0 },
  shareOfRequests: { cpu: 0, memory: 0 },
  restarts: { lastHour: 0, lastDay: 0 },
  crashLoopingPods: { now: 0, lastHour: 0, lastDay: 0 },
  startOrdering: Object.fromEntries(
    START_ORDERING_KINDS.map(kind => [kind, 0]),
  ) as Record<StartOrderingKind, number>,
});

const GROUP_KEYS: Record<AccountingGroupBy, (pod: AccountedPod) => string> = {
  cluster: pod => pod.cluster,
  namespace: pod => `${pod.cluster}/${pod.namespace}`,
  team: pod => pod.team ?? NO_CATALOG_OWNER,
};

export const groupKey = (pod: AccountedPod, groupBy: AccountingGroupBy) =>
  GROUP_KEYS[groupBy](pod);

const rounded = (figures: ResourceFigures): ResourceFigures => ({
  cpuCores: Math.round(figures.cpuCores * 1000) / 1000,
  memoryBytes: Math.round(figures.memoryBytes),
});

/** Sums of one group, with the requests of all its pods kept aside for the share. */
class GroupSum {
  readonly group: SidecarCostGroup;
  private readonly all = { cpuCores: 0, memoryBytes: 0 };

  constructor(key: string) {
    this.group = emptyGroup(key);
  }

  add(pod: AccountedPod, now: number): void {
    this.all.cpuCores += pod.requests.cpuCores;
    this.all.memoryBytes += pod.requests.memoryBytes;
    const sidecar = pod.sidecar;
    if (!sidecar) return;
    const g = this.group;
    g.pods += 1;
    g.requests.cpuCores += sidecar.requests.cpuCores ?? 0;
    g.requests.memoryBytes += sidecar.requests.memoryBytes ?? 0;
    if (sidecar.limits.cpuCores === undefined) g.unlimitedPods.cpu += 1;
    else g.limits.cpuCores += sidecar.limits.cpuCores;
    if (sidecar.limits.memoryBytes === undefined) g.unlimitedPods.memory += 1;
    else g.limits.memoryBytes += sidecar.limits.memoryBytes;
    const restarts = restartFigures(sidecar, now);
    g.restarts.lastHour += restarts.lastHour;
    g.restarts.lastDay += restarts.lastDay;
    if (sidecar.crashLoopingNow) g.crashLoopingPods.now += 1;
    if (crashLoopedWithin(sidecar, now, HOUR_MS))
      g.crashLoopingPods.lastHour += 1;
    if (crashLoopedWithin(sidecar, now, DAY_MS))
      g.crashLoopingPods.lastDay += 1;
    g.startOrdering[sidecar.ordering] += 1;
  }

  /** The group with its share worked out and its figures rounded (millicores, whole bytes). */
  finish(): SidecarCostGroup {
    const g = this.group;
    const share = (own: number, all: number) =>
      all > 0 ? Math.round((own / all) * 10_000) / 10_000 : 0;
    return {
      ...g,
      requests: rounded(g.requests),
      limits: rounded(g.limits),
      shareOfRequests: {
        cpu: share(g.requests.cpuCores, this.all.cpuCores),
        memory: share(g.requests.memoryBytes, this.all.memoryBytes),
      },
    };
  }
}

const workloadKey = (pod: AccountedPod) =>
  `${pod.cluster}/${pod.namespace}/${pod.workload.kind}/${pod.workload.name}`;

function byWorkload(
  pods: readonly AccountedPod[],
  now: number,
): Array<{
  workload: AccountedWorkload;
  offender: RestartOffender;
  ordering: StartOrderingKind;
}> {
  const workloads = new Map<
    string,
    {
      workload: AccountedWorkload;
      offender: RestartOffender;
      ordering: StartOrderingKind;
    }
  >();
  for (const pod of pods) {
    const sidecar = pod.sidecar;
    if (!sidecar) continue;
    const key = workloadKey(pod);
    let entry = workloads.get(key);
    if (!entry) {
      const workload: AccountedWorkload = {
        cluster: pod.cluster,
        namespace: pod.namespace,
        kind: pod.workload.kind,
        name: pod.workload.name,
        ...(pod.team !== undefined ? { team: pod.team } : {}),
        pods: 0,
      };
      entry = {
        workload,
        offender: {
          ...workload,
          restarts: { lastHour: 0, lastDay: 0 },
          crashLoopingPods: 0,
        },
        ordering: sidecar.ordering,
      };
      workloads.set(key, entry);
    }
    entry.workload.pods += 1;
    entry.offender.pods += 1;
    const restarts = restartFigures(sidecar, now);
    entry.offender.restarts.lastHour += restarts.lastHour;
    entry.offender.restarts.lastDay += restarts.lastDay;
    if (crashLoopedWithin(sidecar, now, DAY_MS))
      entry.offender.crashLoopingPods += 1;
  }
  return [...workloads.values()];
}

const byLocation = (a: AccountedWorkload, b: AccountedWorkload) =>
  a.cluster.localeCompare(b.cluster) ||
  a.namespace.localeCompare(b.namespace) ||
  a.name.localeCompare(b.name);

/**
 * One sidecar's cost and faults across the fleet: the pods that run it, its summed requests and
 * limits and its share of all requests, restarts and crash loops, per group and in total.
 */
export function accountSidecar(
  container: string,
  pods: readonly AccountedPod[],
  groupBy: AccountingGroupBy,
  now: number,
): SidecarAccounting {
  const fleet = new GroupSum('fleet');
  const groups = new Map<string, GroupSum>();
  for (const pod of pods) {
    fleet.add(pod, now);
    const key = groupKey(pod, groupBy);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = new GroupSum(key)));
    group.add(pod, now);
  }
  const workloads = byWorkload(pods, now);
  return {
    container,
    groupBy,
    fleet: fleet.finish(),
    groups: [...groups.values()]
      .map(g => g.finish())
      .filter(g => g.pods > 0)
      .sort(
        (a, b) =>
          b.requests.cpuCores - a.requests.cpuCores ||
          b.requests.memoryBytes - a.requests.memoryBytes ||
          a.key.localeCompare(b.key),
      ),
    topRestarting: workloads
      .map(w => w.offender)
      .filter(o => o.restarts.lastDay > 0 || o.crashLoopingPods > 0)
      .sort(
        (a, b) =>
          b.restarts.lastDay - a.restarts.lastDay ||
          b.restarts.lastHour - a.restarts.lastHour ||
          b.crashLoopingPods - a.crashLoopingPods ||
          byLocation(a, b),
      )
      .slice(0, TOP_WORKLOADS),
    unorderedWorkloads: workloads
      .filter(w => w.ordering === 'unordered')
      .map(w => ({ ...w.workload, ordering: w.ordering }))
      .sort((a, b) => b.pods - a.pods || byLocation(a, b))
      .slice(0, TOP_WORKLOADS),
  };
}

/** GET /accounting: one sidecar's accounting, with which clusters answered. */
export interface SidecarAccountingResponse extends SidecarAccounting {
  clusters: InventoryClusterAvailability[];
  /** True when at least one cluster did not answer; its pods are missing. */
  partial: boolean;
  /**
   * Since when restarts have been watched (ISO time): the restart figures cover the last hour and
   * day, or since then when it is later. Absent when a cluster was listed instead of watched, whose
   * restarts are not counted.
   */
  restartsWatchedSince?: string;
}
