import {
  accountSidecar,
  type AccountedPod,
  type AccountedSidecar,
  type AccountingGroupBy,
  type RestartHistory,
  type SidecarAccountingResponse,
} from '@internal/plugin-sidecars-common';
import {
  longRunningContainers,
  onePassReader,
  type ClusterReader,
} from '@internal/plugin-sidecars-node';
import type { OwnedSelection } from '../catalog/entityOwners';
import { fromEachCluster, type Listed } from './clusterSources';
import type { ClusterWatch } from './clusterWatch';
import { startOrderingOf } from './ordering';
import { readOwner, type InventoryOwner } from './owners';
import type { PodCache } from './podCache';
import { PodIndex } from './podIndex';
import { quantityValue } from './quantities';
import { listedHistory } from './restartLog';
import { trimPod, type TrimmedPod } from './trimmedPod';

/** One cluster's pods as the accounting reads them, and since when its restarts were watched (absent for a list). */
interface ClusterPods {
  pods: AccountedPod[];
  restartsWatchedSince?: Date;
}

interface PodSource {
  cluster: string;
  index: PodIndex;
  ownerOf(pod: TrimmedPod): InventoryOwner;
  history(pod: TrimmedPod, container: string): RestartHistory;
}

const amounts = (values: Record<string, string> | undefined) => {
  const cpuCores = quantityValue(values?.cpu);
  const memoryBytes = quantityValue(values?.memory);
  return {
    ...(cpuCores !== undefined ? { cpuCores } : {}),
    ...(memoryBytes !== undefined ? { memoryBytes } : {}),
  };
};

function podRequests(pod: TrimmedPod) {
  let cpuCores = 0;
  let memoryBytes = 0;
  for (const c of longRunningContainers(pod.spec)) {
    const requests = amounts(c.resources?.requests);
    cpuCores += requests.cpuCores ?? 0;
    memoryBytes += requests.memoryBytes ?? 0;
  }
  return { cpuCores, memoryBytes };
}

function sidecarOf(
  source: PodSource,
  pod: TrimmedPod,
  container: string,
): AccountedSidecar | undefined {
  const found = longRunningContainers(pod.spec).find(c => c.name === container);
  if (!found) return undefined;
  return {
    requests: amounts(found.resources?.requests),
    limits: amounts(found.resources?.limits),
    ordering: startOrderingOf(pod, container).kind,
    ...source.history(pod, container),
  };
}

/** Each pod's team: the owner of the first entity (in entity-ref order) whose selector picks it. */
function teamsOf(
  index: PodIndex,
  owners: readonly OwnedSelection[],
): Map<TrimmedPod, string> {
  const teams = new Map<TrimmedPod, string>();
  for (const { owner, selection } of owners) {
    for (const pod of index.select(selection))
      if (!teams.has(pod)) teams.set(pod, owner);
  }
  return teams;
}

function accountedPods(
  source: PodSource,
  container: string,
  owners: readonly OwnedSelection[],
): AccountedPod[] {
  const teams = teamsOf(source.index, owners);
  return [...source.index.all()].map(pod => {
    const owner = source.ownerOf(pod);
    const team = teams.get(pod);
    const sidecar = sidecarOf(source, pod, container);
    return {
      cluster: source.cluster,
      namespace: pod.metadata.namespace ?? '',
      ...(team !== undefined ? { team } : {}),
      workload: { kind: owner.kind, name: owner.name },
      requests: podRequests(pod),
      ...(sidecar ? { sidecar } : {}),
    };
  });
}

/**
 * One sidecar's cost and faults across the fleet: every pod of every cluster (from the watch cache,
 * or listed when a cluster's watch cannot serve), each accounted to its cluster, namespace and the
 * catalog owner of the entity it belongs to.
 */
export class AccountingService {
  constructor(
    private readonly readers: readonly ClusterReader[],
    private readonly timeoutMs: number,
    private readonly cache?: PodCache,
    private readonly now: () => number = Date.now,
  ) {}

  async account(
    container: string,
    groupBy: AccountingGroupBy,
    owners: readonly OwnedSelection[],
  ): Promise<SidecarAccountingResponse> {
    const fanOut = await fromEachCluster(
      this.readers,
      this.cache,
      this.timeoutMs,
      {
        fromWatch: watch => this.fromWatch(watch, container, owners),
        fromList: reader => this.fromList(reader, container, owners),
      },
    );
    const answers = fanOut.results.map(r => r.value);
    const watchedSince = answers.every(a => a.restartsWatchedSince)
      ? Math.max(...answers.map(a => a.restartsWatchedSince!.getTime()))
      : undefined;
    return {
      ...accountSidecar(
        container,
        answers.flatMap(a => a.pods),
        groupBy,
        this.now(),
      ),
      clusters: fanOut.clusters,
      partial: fanOut.partial,
      ...(watchedSince !== undefined && answers.length > 0
        ? { restartsWatchedSince: new Date(watchedSince).toISOString() }
        : {}),
    };
  }

  private fromWatch(
    watch: ClusterWatch,
    container: string,
    owners: readonly OwnedSelection[],
  ): ClusterPods {
    const source: PodSource = {
      cluster: watch.cluster,
      index: watch.pods,
      ownerOf: pod => watch.ownerOf(pod),
      history: (pod, name) => watch.pods.restarts.history(pod, name),
    };
    return {
      pods: accountedPods(source, container, owners),
      restartsWatchedSince: watch.pods.restarts.since,
    };
  }

  private async fromList(
    clusterReader: ClusterReader,
    container: string,
    owners: readonly OwnedSelection[],
  ): Promise<Listed<ClusterPods>> {
    const listedAt = new Date(this.now());
    const reader = onePassReader(clusterReader);
    const index = new PodIndex(this.now);
    const ownerOf = new Map<TrimmedPod, InventoryOwner>();
    for await (const raw of reader.listPods({})) {
      const pod = trimPod(raw);
      index.upsert(pod);
      ownerOf.set(pod, readOwner(await reader.ownerOf(raw)));
    }
    const source: PodSource = {
      cluster: reader.cluster,
      index,
      ownerOf: pod => ownerOf.get(pod)!,
      history: listedHistory,
    };
    return {
      value: { pods: accountedPods(source, container, owners) },
      listedAt,
    };
  }
}
