import { join } from 'node:path';
import {
  CAMPAIGN_TASK_QUEUE,
  type CampaignDetail,
  type CampaignSummary,
} from '@internal/plugin-sidecars-common';
import { REPO_ROOT } from '@internal/dev-stack/stack/binaries';
import { assertPortFree } from '@internal/dev-stack/stack/ports';
import { ProcessGroup } from '@internal/dev-stack/stack/processes';
import { waitFor } from '@internal/dev-stack/stack/wait';
import {
  firstPatchOf,
  reached,
  inPlaceFleet,
  inPlaceSpec,
  settleScenario,
  watchFleet,
  type ScenarioResult,
} from '../campaign-run';
import { withCampaignWorker } from '../chaos-worker';
import type { ChaosContext } from '../context';

const BACKEND_URL = 'http://localhost:7007';
const BACKSTAGE_CLI = join(
  REPO_ROOT,
  'node_modules/@backstage/cli/bin/backstage-cli',
);

/** The Backstage backend as `npm start` runs it, on port 7007, logging into the scenario's directory. */
async function startBackend(
  group: ProcessGroup,
  ctx: ChaosContext,
): Promise<void> {
  const backend = group.start(
    'backstage-backend',
    process.execPath,
    [BACKSTAGE_CLI, 'package', 'start'],
    join(ctx.workDir, 'backstage-backend.log'),
    {
      env: ctx.env,
      cwd: join(REPO_ROOT, 'packages/backend'),
    },
  );
  const ready = () =>
    fetch(`${BACKEND_URL}/.backstage/health/v1/readiness`, {
      signal: AbortSignal.timeout(2_000),
    }).then(r => r.ok);
  await group.untilReady(
    backend,
    waitFor(ready, {
      what: 'the Backstage backend',
      timeoutMs: 300_000,
      intervalMs: 1_000,
    }),
  );
  // Sign-in resolves users in the catalog, which reads its locations after the backend is ready.
  await waitFor(signInToken, {
    what: 'the demo sign-in (the catalog loading its users)',
    timeoutMs: 120_000,
    intervalMs: 1_000,
  });
}

/** A token of the local demo sign-in as pat (platform team), as the portal's sign-in page gets one. */
async function signInToken(): Promise<string> {
  const response = await fetch(`${BACKEND_URL}/api/auth/demo/refresh`, {
    headers: { 'x-demo-user': 'pat', 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!response.ok)
    throw new Error(
      `the demo sign-in answered ${response.status}: ${await response.text()}`,
    );
  return ((await response.json()) as { backstageIdentity: { token: string } })
    .backstageIdentity.token;
}

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${BACKEND_URL}/api/sidecars${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${await signInToken()}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
  if (!response.ok)
    throw new Error(
      `${init.method ?? 'GET'} ${path} answered ${response.status}: ${await response.text()}`,
    );
  return (await response.json()) as T;
}

/**
 * A campaign started through the backend's REST API; the backend is stopped and started again at
 * the first patch of batch 1, and must then serve the campaign's detail again while it continues.
 * Needs port 7007: when it is taken (someone's `npm start` or `npm test`), the scenario is not run.
 */
export async function backendRestart(
  ctx: ChaosContext,
  name: string,
  options: { pods: number; maxUnavailable: number },
): Promise<ScenarioResult> {
  const started = Date.now();
  try {
    await assertPortFree(7007, 'Backstage backend');
  } catch (error) {
    return {
      scenario: name,
      faults: '–',
      wallMs: 0,
      expectedPhase: 'Completed',
      phase: 'not run',
      notes: [],
      notRunReason: (error as Error).message,
    };
  }
  const namespace = await inPlaceFleet(ctx.cluster, name, options.pods);
  const group = new ProcessGroup();
  const notes: string[] = [];
  try {
    // The backend starts campaigns on the task queue of its configuration, so the worker polls that one.
    return await withCampaignWorker(
      name,
      join(ctx.workDir, `${name}-worker.log`),
      ctx.temporal,
      ctx.env,
      async (harness, worker) => {
        await startBackend(group, ctx);
        const watcher = await watchFleet(
          ctx.cluster,
          namespace,
          options.maxUnavailable,
        );
        const trigger = firstPatchOf(watcher, 1);
        const created = await api<CampaignSummary>('/campaigns', {
          method: 'POST',
          body: JSON.stringify({
            spec: inPlaceSpec(namespace, options.maxUnavailable),
          }),
        });
        await reached(trigger, 'the first patch of batch 1');
        const down = Date.now();
        await group.stopAll();
        await startBackend(group, ctx);
        const detail = await api<CampaignDetail>(
          `/campaigns/${encodeURIComponent(created.id)}`,
        );
        notes.push(
          `backend down ${((Date.now() - down) / 1000).toFixed(0)} s; after its restart the detail answered phase ${detail.status.phase}, ${detail.status.counts.upgraded}/${detail.status.counts.total} upgraded`,
        );
        const handle = harness.client.workflow.getHandle(created.id);
        const result = await settleScenario(
          name,
          started,
          { watcher, handle },
          'Completed',
          () =>
            ['1 backend restart', worker.describe()].filter(Boolean).join('; '),
          notes,
        );
        const final = await api<CampaignDetail>(
          `/campaigns/${encodeURIComponent(created.id)}`,
        );
        if (final.status.phase !== result.phase)
          notes.push(
            `the backend reports ${final.status.phase}, Temporal ${result.phase}`,
          );
        return result;
      },
      CAMPAIGN_TASK_QUEUE,
    );
  } finally {
    await group.stopAll();
  }
}
