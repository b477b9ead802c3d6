import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIfMissing, kubeConfigFrom } from './cluster-objects';
import { startControlPlane } from './kube';
import type { StageTimings } from './kwok-stages';
import { fakeNodes } from './nodes';
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
  nodes: number;
  timings: StageTimings;
  suggestContinueAsNewAfterEvents?: number;
  /** Start Prometheus (and the pod exporter it scrapes) for the metric gates, on this port or a free one. */
  prometheus?: { port?: number };
  log?: (line: string) => void;
}

export interface Stack {
  kubeconfigPath: string;
  kubeApiServer: string;
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
    log(
      `Temporal ready at ${temporal.address} (${Date.now() - started} ms); starting etcd, kube-apiserver, controller-manager, scheduler, KWOK`,
    );
    const controlPlane = await startControlPlane(group, {
      dir: join(dataDir, 'kube'),
      apiServerPort: options.apiServerPort ?? (await freePort()),
      timings: options.timings,
    });
    await createIfMissing(
      kubeConfigFrom(controlPlane.kubeconfigPath),
      fakeNodes(options.nodes),
    );
    log(
      `Kubernetes ready at ${controlPlane.server} with ${options.nodes} KWOK nodes (${Date.now() - started} ms in all)`,
    );
    let prometheus: RunningPrometheus | undefined;
    if (options.prometheus) {
      podExporter = await startPodExporter(
        kubeConfigFrom(controlPlane.kubeconfigPath),
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
      kubeconfigPath: controlPlane.kubeconfigPath,
      kubeApiServer: controlPlane.server,
      temporal,
      ...(prometheus ? { prometheus } : {}),
      dataDir,
      env: {
        KUBECONFIG: controlPlane.kubeconfigPath,
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
