import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeConfigFrom } from './cluster-objects';
import { startKubeClusters, type StackCluster } from './kube-clusters';
import type { StageTimings } from './kwok-stages';
import { startPodExporter, type PodExporter } from './pod-exporter';
import { freePort } from './ports';
import { ProcessGroup } from './processes';
import { startPrometheus, type RunningPrometheus } from './prometheus';
import { startTemporal, type RunningTemporal } from './temporal';

export interface StackOptions {
  /** Persistent state (`.data/` for `npm start`); omitted means a throwaway directory. */
  dataDir?: string;
  temporalPort?: number;
  temporalUiPort?: number;
  apiServerPort?: number;
  /** Start a second cluster, kwok-2, on this API server port or a free one; its workers then get both clusters. */
  secondCluster?: { apiServerPort?: number };
  /** KWOK nodes in each cluster. */
  nodes: number;
  timings: StageTimings;
  /** Pod stages each KWOK plays at a time; omitted means its default (4). */
  kwokPodStageParallelism?: number;
  suggestContinueAsNewAfterEvents?: number;
  /** Start Prometheus (and the pod exporter it scrapes) for the metric gates, on this port or a free one. */
  prometheus?: { port?: number };
  log?: (line: string) => void;
}

export interface Stack {
  /** The `local` cluster's. */
  kubeconfigPath: string;
  kubeApiServer: string;
  /** Every cluster the stack runs, `local` first. */
  clusters: StackCluster[];
  temporal: RunningTemporal;
  prometheus?: RunningPrometheus;
  dataDir: string;
  /** Variables that point clients (workers, tests, the backend) at this stack. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export const TEST_TIMINGS: StageTimings = {
  podReadyMs: 300,
  containerRestartMs: 200,
  crashLoopIntervalMs: 500,
};
export const DEMO_TIMINGS: StageTimings = {
  podReadyMs: 2_000,
  containerRestartMs: 1_000,
  crashLoopIntervalMs: 3_000,
};

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? (() => undefined);
  const throwaway = options.dataDir === undefined;
  const dataDir =
    options.dataDir ?? mkdtempSync(join(tmpdir(), 'sidecar-campaigns-'));
  mkdirSync(dataDir, { recursive: true });
  const group = new ProcessGroup();
  let temporal: RunningTemporal | undefined;
  let podExporter: PodExporter | undefined;
  const stop = async () => {
    await podExporter?.stop();
    await temporal?.stop();
    await group.stopAll();
    if (throwaway) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const started = Date.now();
    log('starting the Temporal dev server');
    temporal = await startTemporal({
      port: options.temporalPort ?? (await freePort()),
      uiPort: options.temporalUiPort ?? (await freePort()),
      dbFilename: throwaway ? undefined : join(dataDir, 'temporal.db'),
      suggestContinueAsNewAfterEvents: options.suggestContinueAsNewAfterEvents,
    });
    const clusterNames = options.secondCluster ? 'local, kwok-2' : 'local';
    log(
      `Temporal ready at ${temporal.address} (${Date.now() - started} ms); starting etcd, then kube-apiserver, controller-manager, scheduler, KWOK for each cluster (${clusterNames})`,
    );
    const kube = await startKubeClusters(
      group,
      {
        dataDir,
        nodes: options.nodes,
        timings: options.timings,
        kwokPodStageParallelism: options.kwokPodStageParallelism,
        apiServerPort: options.apiServerPort,
        secondCluster: options.secondCluster,
      },
      log,
      started,
    );
    const local = kube.clusters[0]!;
    let prometheus: RunningPrometheus | undefined;
    if (options.prometheus) {
      podExporter = await startPodExporter(
        kubeConfigFrom(local.kubeconfigPath),
        await freePort(),
      );
      prometheus = await startPrometheus(
        group,
        {
          dir: join(dataDir, 'prometheus'),
          port: options.prometheus.port ?? (await freePort()),
          podExporterPort: podExporter.port,
        },
        log,
      );
      log(
        `Prometheus ready at ${prometheus.url}, scraping the pods' container state every second (${Date.now() - started} ms in all)`,
      );
    }
    return {
      kubeconfigPath: local.kubeconfigPath,
      kubeApiServer: local.server,
      clusters: kube.clusters,
      temporal,
      ...(prometheus ? { prometheus } : {}),
      dataDir,
      env: {
        ...kube.env,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_NAMESPACE: temporal.namespace,
        TEMPORAL_UI_URL: temporal.uiUrl,
        ...(prometheus
          ? {
              PROMETHEUS_URL: prometheus.url,
              PROMETHEUS_TARGETS_DIR: prometheus.targetsDir,
            }
          : {}),
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
