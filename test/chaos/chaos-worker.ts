import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { TemporalSettings } from '@internal/sidecar-workers';
import { campaignHarness, type CampaignHarness } from '../support/campaigns';
import { killHard, startWorkerProcess } from '../support/worker-process';

/**
 * The campaign worker as a process of its own that a scenario SIGKILLs and starts again. It also
 * restarts the worker when it exits on its own (as a supervisor would) and records that, because a
 * worker that gives up during a fault is itself a finding.
 */
export class ChaosWorker {
  private child: ChildProcess | undefined;
  private restarting: Promise<void> | undefined;
  private stopped = false;
  kills = 0;
  readonly ownExits: string[] = [];

  constructor(
    private readonly taskQueue: string,
    private readonly env: NodeJS.ProcessEnv = {},
    /** Where every worker process's output goes, for a post-mortem. */
    private readonly logFile?: string,
  ) {}

  async start(): Promise<void> {
    const child = await startWorkerProcess(this.taskQueue, this.env);
    if (this.logFile) {
      const log = createWriteStream(this.logFile, { flags: 'a' });
      child.stdout!.pipe(log);
      child.stderr!.pipe(log);
    }
    this.child = child;
    void once(child, 'exit').then(([code, signal]) => {
      if (this.stopped || this.child !== child) return;
      this.ownExits.push(
        `exited on its own (code ${code ?? 'none'}, signal ${signal ?? 'none'})`,
      );
      this.restarting = this.start();
    });
  }

  /** SIGKILLs the worker at once (so a caller can aim at a moment), then starts a new one and waits until it polls. */
  async killAndRestart(): Promise<void> {
    await this.restarting;
    const child = this.child;
    this.child = undefined;
    if (child) await killHard(child);
    this.kills += 1;
    await this.start();
  }

  /** The faults this worker went through, for the table; '' when none. */
  describe(): string {
    const parts = [
      this.kills > 0 ? `${this.kills} worker SIGKILLs` : '',
      this.ownExits.length > 0
        ? `${this.ownExits.length} worker exits on its own`
        : '',
    ];
    return parts.filter(Boolean).join('; ');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.restarting?.catch(() => undefined);
    if (this.child) await killHard(this.child);
  }
}

/**
 * Runs `body` with a Temporal client on a task queue of its own and a worker process polling it
 * (`taskQueue` overrides the queue, for the backend's configured one); both are stopped after.
 */
export async function withCampaignWorker<T>(
  name: string,
  logFile: string,
  temporal: TemporalSettings,
  workerEnv: NodeJS.ProcessEnv,
  body: (harness: CampaignHarness, worker: ChaosWorker) => Promise<T>,
  taskQueue?: string,
): Promise<T> {
  const harness = await campaignHarness(name, temporal);
  const worker = new ChaosWorker(
    taskQueue ?? harness.taskQueue,
    workerEnv,
    logFile,
  );
  try {
    await worker.start();
    return await body(harness, worker);
  } finally {
    await worker.stop();
    await harness.close();
  }
}
