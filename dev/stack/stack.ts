import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIfMissing, kubeConfigFrom } from './cluster-objects';
import { startControlPlane } from './kube';
import type { StageTimings } from './kwok-stages';
import { fakeNodes } from './nodes';
import { freePort } from './ports';
import { ProcessGroup } from './processes';
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
  log?: (line: string) => void;
}

export interface Stack {
  kubeconfigPath: string;
  kubeApiServer: string;
  temporal: RunningTemporal;
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
  const stop = async () => {
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
    return {
      kubeconfigPath: controlPlane.kubeconfigPath,
      kubeApiServer: controlPlane.server,
      temporal,
      dataDir,
      env: {
        KUBECONFIG: controlPlane.kubeconfigPath,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_NAMESPACE: temporal.namespace,
        TEMPORAL_UI_URL: temporal.uiUrl,
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
