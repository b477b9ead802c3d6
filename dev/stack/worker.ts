import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  DEFAULT_WORKER_PORTS,
  ensureCompiledWorker,
  ensureWorkflowBundle,
  freshCompiledWorker,
  type WorkerPorts,
} from '@internal/sidecar-workers';
import { REPO_ROOT } from './binaries';
import { isRunning, type ManagedProcess, type ProcessGroup } from './processes';
import { supervise, type SupervisedProcess } from './supervisor';

const ready = async (url: string) => {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
};

/** Polls the worker's /readyz until it answers 200, for as long as the worker runs and the group does not stop. */
async function untilPolling(
  healthPort: number,
  worker: ManagedProcess,
  stopping: AbortSignal,
): Promise<void> {
  while (isRunning(worker.child) && !stopping.aborted) {
    if (await ready(`http://127.0.0.1:${healthPort}/readyz`)) return;
    await delay(100);
  }
  throw new Error(`${worker.name} exited or was stopped before it was ready`);
}

/**
 * The compiled worker when it is fresh; else (its sources changed since the launcher built it)
 * the TypeScript sources under tsx, which start slower but run what is in the tree.
 */
export function workerArgs(log: (line: string) => void): string[] {
  const compiled = freshCompiledWorker();
  if (compiled) return [compiled];
  log(
    'the compiled worker is older than its sources: starting workers/src/main.ts under tsx',
  );
  return ['--import', 'tsx', join(REPO_ROOT, 'workers/src/main.ts')];
}

/** Pre-bundles the workflow code and compiles the worker, each where stale (`npm run build -w workers`). */
export async function buildWorker(log: (line: string) => void): Promise<void> {
  await ensureWorkflowBundle(log);
  await ensureCompiledWorker(log);
}

/**
 * The campaign worker as `npm start` runs it: built where stale, then run under supervision (restarted with backoff), logging to
 * `logDir/worker.log`.
 */
export async function startSupervisedWorker(
  group: ProcessGroup,
  env: Record<string, string>,
  logDir: string,
  log: (line: string) => void,
  ports: WorkerPorts = DEFAULT_WORKER_PORTS,
): Promise<SupervisedProcess> {
  await buildWorker(log);
  return supervise(
    group,
    {
      name: 'worker',
      command: process.execPath,
      args: () => workerArgs(log),
      logFile: join(logDir, 'worker.log'),
      options: {
        env: {
          ...env,
          WORKER_HTTP_PORT: String(ports.health),
          WORKER_METRICS_PORT: String(ports.metrics),
        },
      },
      ready: (worker, stopping) => untilPolling(ports.health, worker, stopping),
    },
    log,
  );
}
