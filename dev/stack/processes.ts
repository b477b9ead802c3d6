import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
}

const STOP_GRACE_MS = 5_000;

export const isRunning = (child: ChildProcess) =>
  child.exitCode === null && child.signalCode === null;

/**
 * Children started for the stack. Every child gets its own process group so that
 * stopping it also stops anything it spawned, and the group is killed when this
 * process exits for any reason, so no server is left orphaned.
 */
export class ProcessGroup {
  private processes: ManagedProcess[] = [];
  private readonly stopController = new AbortController();
  /** Aborted when `stopAll` begins, so that nothing restarts a child the group is stopping. */
  readonly stopping: AbortSignal = this.stopController.signal;

  constructor() {
    process.once('exit', () => this.killAllNow());
  }

  start(
    name: string,
    command: string,
    args: string[],
    logFile: string,
    options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
  ): ManagedProcess {
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    child.on('error', err =>
      log.write(`\n[launcher] ${name} failed to start: ${err.message}\n`),
    );
    const managed = { name, child, logFile };
    this.processes = [
      ...this.processes.filter(p => isRunning(p.child)),
      managed,
    ];
    return managed;
  }

  /** Rejects when the process exits before `ready` settles, naming its log. */
  async untilReady<T>(managed: ManagedProcess, ready: Promise<T>): Promise<T> {
    const exited = once(managed.child, 'exit').then(([code, signal]) => {
      throw new Error(
        `${managed.name} exited during start-up (code ${code ?? 'none'}, signal ${signal ?? 'none'}); see ${managed.logFile}`,
      );
    });
    return Promise.race([ready, exited]);
  }

  async stopAll(): Promise<void> {
    this.stopController.abort();
    const running = this.processes.splice(0).reverse();
    for (const managed of running) await stopProcess(managed.child);
  }

  private killAllNow(): void {
    for (const { child } of this.processes) signalGroup(child, 'SIGKILL');
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (!isRunning(child)) return;
  const exited = once(child, 'exit');
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || !isRunning(child)) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}
