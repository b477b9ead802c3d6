import {
  crashLoopedWithin,
  HOUR_MS,
  type InventoryResponse,
  type RestartHistory,
  type SidecarKind,
  type SidecarResources,
  type SidecarVersionCount,
  type StartOrdering,
  type WorkloadInventory,
  type WorkloadSidecar,
} from '@internal/plugin-sidecars-common';
import {
  containerStatus,
  isPodReady,
  longRunningContainers,
  onePassReader,
  type ClusterReader,
  type EntitySelection,
} from '@internal/plugin-sidecars-node';
import { sidecarsOf } from './classify';
import { fromEachCluster, type Listed } from './clusterSources';
import type { ClusterWatch } from './clusterWatch';
import type { FleetService } from './fleet';
import { startOrderingOf } from './ordering';
import { readOwner, type InventoryOwner } from './owners';
import type { PodCache } from './podCache';
import { quantityValue } from './quantities';
import { listedHistory } from './restartLog';
import { trimPod, type TrimmedContainer, type TrimmedPod } from './trimmedPod';
import {
  compareVersions,
  isComparable,
  newestVersion,
  versionOf,
} from './versions';

interface SidecarAccumulator {
  kind: SidecarKind;
  versions: Map<string, SidecarVersionCount>;
  resources: SidecarResources;
  startOrdering: StartOrdering;
  crashLoopingPods: number;
}

/** A container's restarts as the source of the answer knows them. */
type RestartLookup = (pod: TrimmedPod, container: string) => RestartHistory;

interface WorkloadAccumulator extends Omit<WorkloadInventory, 'sidecars'> {
  sidecars: Map<string, SidecarAccumulator>;
}

type Resource = 'cpu' | 'memory';
const RESOURCES: readonly Resource[] = ['cpu', 'memory'];

/** Requests of the containers that run for the pod's lifetime: regular containers and native sidecars. */
function podRequests(pod: TrimmedPod, resource: Resource): number {
  return longRunningContainers(pod.spec).reduce(
    (sum, c) => sum + (quantityValue(c.resources?.requests?.[resource]) ?? 0),
    0,
  );
}

function resourcesOf(
  pod: TrimmedPod,
  container: TrimmedContainer,
): SidecarResources {
  const resources: SidecarResources = {
    requests: {},
    limits: {},
    shareOfPod: {},
  };
  for (const resource of RESOURCES) {
    const request = container.resources?.requests?.[resource];
    const limit = container.resources?.limits?.[resource];
    if (request !== undefined) resources.requests[resource] = request;
    if (limit !== undefined) resources.limits[resource] = limit;
    const total = podRequests(pod, resource);
    const own = quantityValue(request);
    if (own !== undefined && total > 0)
      resources.shareOfPod[resource] = Math.round((own / total) * 1000) / 1000;
  }
  return resources;
}

function addPod(
  workload: WorkloadAccumulator,
  pod: TrimmedPod,
  sidecars: ReturnType<typeof sidecarsOf>,
  restarts: RestartLookup,
  now: number,
): void {
  workload.pods += 1;
  if (isPodReady(pod)) workload.readyPods += 1;
  for (const { container, kind } of sidecars) {
    let sidecar = workload.sidecars.get(container.name);
    if (!sidecar) {
      sidecar = {
        kind,
        versions: new Map(),
        resources: resourcesOf(pod, container),
        startOrdering: startOrderingOf(pod, container.name),
        crashLoopingPods: 0,
      };
      workload.sidecars.set(container.name, sidecar);
    }
    if (crashLoopedWithin(restarts(pod, container.name), now, HOUR_MS))
      sidecar.crashLoopingPods += 1;
    const image = container.image ?? '';
    let version = sidecar.versions.get(image);
    if (!version)
      sidecar.versions.set(
        image,
        (version = {
          image,
          version: versionOf(image),
          pods: 0,
          readyPods: 0,
          restarts: 0,
        }),
      );
    const status = containerStatus(pod, container.name);
    version.pods += 1;
    if (status?.ready) version.readyPods += 1;
    version.restarts += status?.restartCount ?? 0;
  }
}

/** Where a workload's sidecar stands against the newest version in the fleet. */
function drift(
  versions: string[],
  fleetVersions: string[],
): Pick<WorkloadSidecar, 'newestFleetVersion' | 'drift' | 'versionsBehind'> {
  const all = [...new Set([...fleetVersions, ...versions])];
  const newest = newestVersion(all);
  if (newest === undefined) return { drift: 'unknown' };
  if (versions.every(v => v === newest))
    return { newestFleetVersion: newest, drift: 'current', versionsBehind: 0 };
  if (!isComparable(newest) || versions.some(v => !isComparable(v)))
    return { newestFleetVersion: newest, drift: 'unknown' };
  const oldest = [...versions].sort(compareVersions)[0]!;
  const behind = all.filter(v => compareVersions(v, oldest) > 0).length;
  return {
    newestFleetVersion: newest,
    drift: 'behind',
    versionsBehind: behind,
  };
}

interface OwnedPod {
  pod: TrimmedPod;
  owner: InventoryOwner;
}

/** One entity's pods across every cluster, grouped by owning workload, with their sidecars. */
export class InventoryService {
  constructor(
    private readonly readers: readonly ClusterReader[],
    private readonly knownSidecars: ReadonlySet<string>,
    private readonly timeoutMs: number,
    private readonly fleet: FleetService,
    private readonly cache?: PodCache,
    private readonly now: () => number = Date.now,
  ) {}

  private accumulate(
    cluster: string,
    pods: Iterable<OwnedPod>,
    restarts: RestartLookup,
  ): WorkloadAccumulator[] {
    const now = this.now();
    const workloads = new Map<string, WorkloadAccumulator>();
    for (const { pod, owner } of pods) {
      const namespace = pod.metadata.namespace ?? '';
      const key = `${namespace}/${owner.kind}/${owner.name}`;
      let workload = workloads.get(key);
      if (!workload) {
        workload = {
          cluster,
          namespace,
          kind: owner.kind,
          name: owner.name,
          pods: 0,
          readyPods: 0,
          sidecars: new Map(),
        };
        workloads.set(key, workload);
      }
      addPod(
        workload,
        pod,
        sidecarsOf(pod, owner.declaredContainers, this.knownSidecars),
        restarts,
        now,
      );
    }
    return [...workloads.values()];
  }

  private fromWatch(
    watch: ClusterWatch,
    selection: EntitySelection,
  ): WorkloadAccumulator[] {
    return this.accumulate(
      watch.cluster,
      watch.pods
        .select(selection)
        .map(pod => ({ pod, owner: watch.ownerOf(pod) })),
      (pod, container) => watch.pods.restarts.history(pod, container),
    );
  }

  private async fromList(
    clusterReader: ClusterReader,
    selection: EntitySelection,
  ): Promise<Listed<WorkloadAccumulator[]>> {
    const listedAt = new Date();
    const reader = onePassReader(clusterReader);
    const pods: OwnedPod[] = [];
    for await (const pod of reader.listPods(selection))
      pods.push({
        pod: trimPod(pod),
        owner: readOwner(await reader.ownerOf(pod)),
      });
    return {
      value: this.accumulate(reader.cluster, pods, listedHistory),
      listedAt,
    };
  }

  async entityInventory(
    entityRef: string,
    selection: EntitySelection,
  ): Promise<InventoryResponse> {
    const fanOut = await fromEachCluster(
      this.readers,
      this.cache,
      this.timeoutMs,
      {
        fromWatch: watch => this.fromWatch(watch, selection),
        fromList: reader => this.fromList(reader, selection),
      },
    );

    const accumulated = fanOut.results.flatMap(r => r.value);
    const containers = new Set(
      accumulated.flatMap(w => [...w.sidecars.keys()]),
    );
    const fleetVersions = new Map<string, string[]>();
    await Promise.all(
      [...containers].map(async name =>
        fleetVersions.set(
          name,
          await this.fleet.versionsOf(name).catch(() => []),
        ),
      ),
    );
    const workloads: WorkloadInventory[] = accumulated
      .map(w => ({
        cluster: w.cluster,
        namespace: w.namespace,
        kind: w.kind,
        name: w.name,
        pods: w.pods,
        readyPods: w.readyPods,
        sidecars: [...w.sidecars.entries()]
          .map(([container, s]): WorkloadSidecar => {
            const versions = [...s.versions.values()].sort((a, b) =>
              compareVersions(b.version, a.version),
            );
            return {
              container,
              kind: s.kind,
              versions,
              resources: s.resources,
              startOrdering: s.startOrdering,
              crashLoopingPods: s.crashLoopingPods,
              ...drift(
                versions.map(v => v.version),
                fleetVersions.get(container) ?? [],
              ),
            };
          })
          .sort((a, b) => a.container.localeCompare(b.container)),
      }))
      .sort(
        (a, b) =>
          a.cluster.localeCompare(b.cluster) ||
          a.namespace.localeCompare(b.namespace) ||
          a.name.localeCompare(b.name),
      );
    return {
      entityRef,
      workloads,
      clusters: fanOut.clusters,
      partial: fanOut.partial,
    };
  }
}
