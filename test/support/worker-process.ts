import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { REPO_ROOT } from '@internal/dev-stack/stack/binaries';
import { freePort } from '@internal/dev-stack/stack/ports';
import { waitFor } from '@internal/dev-stack/stack/wait';
import { workerArgs } from '@internal/dev-stack/stack/worker';

/**
 * The worker as operators run it (compiled if fresh, else `workers/src/main.ts` under tsx), in a
 * process of its own that tests can kill; its health and metrics ports are free ones unless `env`
 * sets them. It knows the stack's clusters (SIDECAR_CLUSTERS_FILE) unless `env` gives a KUBECONFIG
 * of its own, which then is its only cluster, "local".
 */
export async function startWorkerProcess(
  taskQueue: string,
  env: NodeJS.ProcessEnv = {},
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    workerArgs(() => undefined),
    {
      cwd: REPO_ROOT,
      env: {
        ...inheritedEnv(env),
        WORKER_HTTP_PORT: String(await freePort()),
        WORKER_METRICS_PORT: String(await freePort()),
        ...env,
        TEMPORAL_TASK_QUEUE: taskQueue,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', chunk => (output += String(chunk)));
  child.stderr!.on('data', chunk => (output += String(chunk)));
  await waitFor(
    async () => {
      if (child.exitCode !== null)
        throw new Error(`worker exited with ${child.exitCode}: ${output}`);
      return /state: 'RUNNING'|Worker state changed.*RUNNING/s.test(output);
    },
    { what: 'the worker process to poll its task queue', timeoutMs: 60_000 },
  );
  return child;
}

/** This process's environment, less the clusters file where `env` gives a KUBECONFIG: the file would win over it. */
function inheritedEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.KUBECONFIG === undefined || env.SIDECAR_CLUSTERS_FILE !== undefined)
    return process.env;
  const { SIDECAR_CLUSTERS_FILE: _ignored, ...rest } = process.env;
  return rest;
}

export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}
