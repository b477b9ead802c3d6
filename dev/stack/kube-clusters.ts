import { join } from 'node:path';
import { createIfMissing, kubeConfigFrom } from './cluster-objects';
import { startEtcd, type RunningEtcd } from './etcd';
import { startControlPlane } from './kube';
import type { StageTimings } from './kwok-stages';
import { fakeNodes } from './nodes';
import { freePort } from './ports';
import type { ProcessGroup } from './processes';
import {
  LOCAL_CLUSTER,
  SECOND_CLUSTER,
  writeClustersFile,
  type StackClusterLayout,
  type StackClusterName,
} from './stack-clusters';

export interface KubeClustersOptions {
  dataDir: string;
  nodes: number;
  timings: StageTimings;
  /** Pod stages each KWOK plays at a time; omitted means its default (4). */
  kwokPodStageParallelism?: number;
  /** The API server port of `local`; a free one when omitted. */
  apiServerPort?: number;
  /** Start kwok-2 too, on this API server port or a free one. */
  secondCluster?: { apiServerPort?: number };
}

export interface StackCluster {
  name: StackClusterName;
  server: string;
  kubeconfigPath: string;
}

export interface RunningKubeClusters {
  /** `local` first. */
  clusters: StackCluster[];
  /** Each cluster's kubeconfig variable and, with more than one cluster, SIDECAR_CLUSTERS_FILE. */
  env: Record<string, string>;
}

/**
 * The stack's Kubernetes clusters, started side by side on one etcd, each with its KWOK nodes.
 * With a single cluster no clusters file is written, so a worker given another KUBECONFIG (the
 * chaos suite's fault proxy) still goes by it.
 */
export async function startKubeClusters(
  group: ProcessGroup,
  options: KubeClustersOptions,
  log: (line: string) => void,
  startedAt = Date.now(),
): Promise<RunningKubeClusters> {
  const etcd = await startEtcd(group, join(options.dataDir, LOCAL_CLUSTER.dir));
  const wanted = [
    { layout: LOCAL_CLUSTER, port: options.apiServerPort },
    ...(options.secondCluster
      ? [{ layout: SECOND_CLUSTER, port: options.secondCluster.apiServerPort }]
      : []),
  ];
  const clusters = await Promise.all(
    wanted.map(({ layout, port }) =>
      startKubeCluster(group, layout, port, options, etcd).then(cluster => {
        log(
          `Kubernetes ${cluster.name} ready at ${cluster.server} with ${options.nodes} KWOK nodes (${Date.now() - startedAt} ms in all)`,
        );
        return cluster;
      }),
    ),
  );
  const env: Record<string, string> = Object.fromEntries(
    wanted.map(({ layout }, i) => [
      layout.kubeconfigEnv,
      clusters[i]!.kubeconfigPath,
    ]),
  );
  if (clusters.length > 1) {
    const clustersFile = join(options.dataDir, 'clusters.yaml');
    writeClustersFile(clustersFile, clusters);
    env.SIDECAR_CLUSTERS_FILE = clustersFile;
  }
  return { clusters, env };
}

async function startKubeCluster(
  group: ProcessGroup,
  layout: StackClusterLayout,
  port: number | undefined,
  options: KubeClustersOptions,
  etcd: RunningEtcd,
): Promise<StackCluster> {
  const controlPlane = await startControlPlane(group, {
    name: layout.name,
    dir: join(options.dataDir, layout.dir),
    apiServerPort: port ?? (await freePort()),
    timings: options.timings,
    kwokPodStageParallelism: options.kwokPodStageParallelism,
    etcd,
    ...(layout.etcdPrefix ? { etcdPrefix: layout.etcdPrefix } : {}),
  });
  await createIfMissing(
    kubeConfigFrom(controlPlane.kubeconfigPath),
    fakeNodes(options.nodes),
  );
  return {
    name: layout.name,
    server: controlPlane.server,
    kubeconfigPath: controlPlane.kubeconfigPath,
  };
}
