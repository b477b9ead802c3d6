import { join } from 'node:path';
import { DEFAULT_WORKER_PORTS } from '@internal/sidecar-workers';
import { REPO_ROOT } from './binaries';
import { assertPortFree } from './ports';
import type { ProcessGroup } from './processes';
import { waitFor } from './wait';
import { startSupervisedWorker } from './worker';

export const PORTAL_URL = 'http://localhost:3000';
export const BACKEND_URL = 'http://localhost:7007';

const BACKSTAGE_CLI = join(
  REPO_ROOT,
  'node_modules/@backstage/cli/bin/backstage-cli',
);

async function answers(
  url: string,
  headers: Record<string, string> = {},
): Promise<boolean> {
  try {
    return (await fetch(url, { headers, signal: AbortSignal.timeout(2_000) }))
      .ok;
  } catch {
    return false;
  }
}

/** The demo sign-in resolves users from the catalog, which ingests catalog/demo-fleet.yaml some seconds after the backend is up. */
const DEMO_USER = 'pat';

/**
 * The campaign worker (supervised: restarted when it exits), the Backstage backend (with the
 * sidecars plugin) and the Backstage app, each a child process of `group` logging to `logDir`,
 * pointed at the stack by `env`.
 */
export async function startPortal(
  group: ProcessGroup,
  env: Record<string, string>,
  logDir: string,
  log: (line: string) => void,
): Promise<void> {
  await assertPortFree(7007, 'Backstage backend');
  await assertPortFree(3000, 'Backstage app');
  await assertPortFree(DEFAULT_WORKER_PORTS.health, 'worker health probes');
  await assertPortFree(DEFAULT_WORKER_PORTS.metrics, 'worker metrics');
  await startSupervisedWorker(group, env, logDir, log);
  log(
    `worker health at http://localhost:${DEFAULT_WORKER_PORTS.health}/readyz, metrics at http://localhost:${DEFAULT_WORKER_PORTS.metrics}/metrics`,
  );
  const backstage = (name: string, dir: string) =>
    group.start(
      name,
      process.execPath,
      [BACKSTAGE_CLI, 'package', 'start'],
      join(logDir, `${name}.log`),
      { env, cwd: join(REPO_ROOT, dir) },
    );
  const backend = backstage('backstage-backend', 'packages/backend');
  const app = backstage('backstage-app', 'packages/app');
  log(
    'starting the worker, the Backstage backend and the app (the first start compiles the app: about a minute)',
  );
  await group.untilReady(
    backend,
    waitFor(() => answers(`${BACKEND_URL}/.backstage/health/v1/readiness`), {
      what: 'the Backstage backend',
      timeoutMs: 300_000,
      intervalMs: 1_000,
    }),
  );
  await group.untilReady(
    backend,
    waitFor(
      () =>
        answers(`${BACKEND_URL}/api/auth/demo/refresh`, {
          'x-demo-user': DEMO_USER,
        }),
      {
        what: `the catalog to load the demo users (sign-in as ${DEMO_USER})`,
        timeoutMs: 300_000,
        intervalMs: 1_000,
      },
    ),
  );
  log(
    `Backstage backend ready at ${BACKEND_URL}, demo users signed in from the catalog`,
  );
  await group.untilReady(
    app,
    waitFor(() => answers(PORTAL_URL), {
      what: 'the Backstage app',
      timeoutMs: 600_000,
      intervalMs: 2_000,
    }),
  );
  log(`Backstage app ready at ${PORTAL_URL}`);
}
