import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CAMPAIGN_METRICS, type WorkerPorts } from '@internal/sidecar-workers';
import { REPO_ROOT } from '@internal/dev-stack/stack/binaries';
import { freePort } from '@internal/dev-stack/stack/ports';
import { ProcessGroup } from '@internal/dev-stack/stack/processes';
import type { SupervisedProcess } from '@internal/dev-stack/stack/supervisor';
import { waitFor } from '@internal/dev-stack/stack/wait';
import { startSupervisedWorker } from '@internal/dev-stack/stack/worker';
import { awaitPhase, campaignHarness } from '../support/campaigns';
import { testCluster } from '../support/cluster';
import { injectedFleet } from '../support/fleet';

const cluster = testCluster();

async function get(
  port: number,
  path: string,
): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    signal: AbortSignal.timeout(2_000),
  });
  return { status: response.status, body: await response.text() };
}

const answersReady = async (port: number) =>
  (await get(port, '/readyz').catch(() => undefined))?.status === 200;

/** What the worker logs once it polls: milliseconds from its process start to RUNNING, and whether it had to bundle the workflow code. */
function pollingFigures(logFile: string): string[] {
  const log = readFileSync(logFile, 'utf8');
  let since = 0;
  return [
    ...log.matchAll(
      /worker polling: .*?; (\d+) ms after the process started \((\d+) ms of CPU\)/g,
    ),
  ].map(match => {
    const bundled = log
      .slice(since, match.index)
      .includes('no fresh workflow bundle');
    since = match.index + match[0].length;
    return `${match[1]} ms, ${match[2]} ms of CPU (workflow code ${bundled ? 'bundled at start-up' : 'from the pre-built bundle'})`;
  });
}

/** The value of the first sample of `metric` whose labels include every one of `labels`. */
function sample(
  metrics: string,
  metric: string,
  labels: string[],
): number | undefined {
  const line = metrics
    .split('\n')
    .find(
      l =>
        l.startsWith(`${metric}{`) && labels.every(label => l.includes(label)),
    );
  return line === undefined
    ? undefined
    : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('the worker supervised as `npm start` runs it', () => {
  const harness = campaignHarness('supervised');
  let h: Awaited<typeof harness>;
  const group = new ProcessGroup();
  const logDir = mkdtempSync(join(tmpdir(), 'worker-supervision-'));
  const logFile = join(logDir, 'worker.log');
  const consoleLines: string[] = [];
  let ports: WorkerPorts;
  let worker: SupervisedProcess;
  const workerLog = () => readFileSync(logFile, 'utf8');
  const awaitLine = (line: string) =>
    waitFor(async () => consoleLines.includes(line), {
      what: `the launcher to log "${line}" (it logged: ${consoleLines.join(' | ')})`,
      timeoutMs: 60_000,
    });

  before(async () => {
    h = await harness;
    ports = { health: await freePort(), metrics: await freePort() };
    worker = await startSupervisedWorker(
      group,
      { TEMPORAL_TASK_QUEUE: h.taskQueue },
      logDir,
      line => consoleLines.push(line),
      ports,
    );
  });
  after(async () => {
    await group.stopAll();
    await h.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('is alive on /healthz and ready on /readyz once it polls its task queue', async () => {
    await waitFor(() => answersReady(ports.health), {
      what: 'the worker to answer /readyz with 200',
      timeoutMs: 60_000,
    });
    assert.deepEqual(await get(ports.health, '/healthz'), {
      status: 200,
      body: JSON.stringify({ status: 'alive' }),
    });
    assert.deepEqual(await get(ports.health, '/readyz'), {
      status: 200,
      body: JSON.stringify({ status: 'ready', state: 'RUNNING' }),
    });
    assert.equal(
      (await get(ports.health, '/metrics')).status,
      404,
      'metrics are on their own port',
    );
    await waitFor(
      async () =>
        consoleLines.some(l => l.startsWith('worker is ready: ready ')),
      {
        what: 'the launcher to log that the worker is ready',
        timeoutMs: 10_000,
      },
    );
    console.log(
      `first start: polling ${pollingFigures(logFile)[0]} after the worker process started`,
    );
  });

  it('is restarted after a SIGKILL, polls again and says so; a second kill in a row waits twice as long', async () => {
    // The worker `before` started: one supervisor across the kills (its current process changes).
    const supervised = worker;
    const healthPort = ports.health;
    for (const [restart, delay] of [
      [1, '0.5 s'],
      [2, '1 s'],
    ] as const) {
      const killed = supervised.current;
      const exited = once(killed.child, 'exit');
      const killedAt = Date.now();
      process.kill(killed.child.pid!, 'SIGKILL');
      await exited;
      await waitFor(
        async () =>
          supervised.current !== killed && (await answersReady(healthPort)),
        { what: `restart ${restart} to poll`, timeoutMs: 60_000 },
      );
      const readyAfter = Date.now() - killedAt;
      const restartLine = `worker exited (signal SIGKILL); restarting in ${delay} (restart ${restart})`;
      await awaitLine(restartLine);
      assert.equal(supervised.restarts, restart);
      assert.ok(
        workerLog().includes(`[launcher] ${restartLine}\n`),
        `the worker log says: ${restartLine}`,
      );
      const backLine = await waitFor(
        async () =>
          consoleLines.find(l =>
            l.startsWith(`worker is back (restart ${restart}): ready `),
          ),
        {
          what: `the launcher to log that restart ${restart} is back`,
          timeoutMs: 60_000,
        },
      );
      assert.ok(workerLog().includes(`[launcher] ${backLine}\n`));
      const entry = consoleLines.some(l =>
        l.startsWith('the compiled worker is older'),
      )
        ? 'tsx at least once'
        : 'the compiled worker';
      console.log(
        `restart ${restart}: /readyz 200 ${readyAfter} ms after the SIGKILL (backoff ${delay}; ${entry}); the new process polled ${pollingFigures(logFile).at(-1)} after it started`,
      );
    }
  });

  it('exports the campaign metrics and the SDK metrics on /metrics after a campaign', async () => {
    const fleet = await injectedFleet(cluster, 'metrics', 2, {
      name: 'proxy',
      image: 'registry.example.com/proxy:1.0.0',
    });
    const handle = await h.start({
      container: 'proxy',
      targetImage: 'registry.example.com/proxy:1.1.0',
      selector: {
        namespaces: [fleet.namespace],
        labelSelector: fleet.selector,
      },
      strategy: { maxUnavailable: 1 },
    });
    await awaitPhase(handle, 'Completed');
    const ours = [`taskQueue="${h.taskQueue}"`, 'sidecar="proxy"'];
    let metrics = '';
    await waitFor(
      async () => {
        metrics = (await get(ports.metrics, '/metrics')).body;
        return (
          sample(metrics, `${CAMPAIGN_METRICS.batchDuration}_count`, ours) === 2
        );
      },
      {
        what: "the worker to export the durations of the campaign's two batches",
        timeoutMs: 30_000,
      },
    ).catch(error => {
      throw new Error(
        `${error.message}; the worker exports: ${metrics
          .split('\n')
          .filter(l => l.startsWith('sidecar_'))
          .join('\n')}`,
      );
    });
    assert.equal(sample(metrics, CAMPAIGN_METRICS.podsPatched, ours), 2);
    assert.equal(sample(metrics, CAMPAIGN_METRICS.podsFailed, ours), 0);
    assert.ok(
      (sample(metrics, `${CAMPAIGN_METRICS.batchDuration}_sum`, ours) ?? 0) > 0,
    );
    assert.ok(
      (sample(metrics, 'temporal_workflow_task_queue_poll_succeed', [
        `task_queue="${h.taskQueue}"`,
      ]) ?? 0) >= 1,
      "the SDK's own metrics are exported too",
    );
  });

  it('is not restarted once the stack stops', async () => {
    const last = worker.current;
    await group.stopAll();
    assert.notEqual(last.child.signalCode ?? last.child.exitCode, null);
    assert.equal(worker.current, last, 'no new worker was started');
    assert.equal(worker.restarts, 2);
    await assert.rejects(get(ports.health, '/healthz'));
  });
});

describe('a worker that cannot reach Temporal', () => {
  const group = new ProcessGroup();
  const logDir = mkdtempSync(join(tmpdir(), 'worker-unready-'));
  after(async () => {
    await group.stopAll();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('is alive but not ready', async () => {
    const health = await freePort();
    group.start(
      'worker',
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'workers/src/main.ts')],
      join(logDir, 'worker.log'),
      {
        env: {
          TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
          WORKER_HTTP_PORT: String(health),
          WORKER_METRICS_PORT: String(await freePort()),
        },
      },
    );
    await waitFor(async () => (await get(health, '/healthz')).status === 200, {
      what: 'the worker to answer /healthz',
      timeoutMs: 60_000,
    });
    assert.deepEqual(await get(health, '/readyz'), {
      status: 503,
      body: JSON.stringify({ status: 'not ready', state: 'STARTING' }),
    });
  });
});
