import { appendFileSync } from 'node:fs';
import type { ManagedProcess, ProcessGroup } from './processes';

export interface RestartPolicy {
  /** Delay before the first restart; each further restart in a row doubles it… */
  initialDelayMs: number;
  /** …up to this. */
  maxDelayMs: number;
  /** A child that ran at least this long before exiting counts as healthy: the delay starts over. */
  healthyAfterMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  healthyAfterMs: 60_000,
};

export interface SupervisedSpec {
  name: string;
  command: string;
  /** Read at each start, so that a restart can pick up another entry point. */
  args: () => string[];
  logFile: string;
  options?: { env?: NodeJS.ProcessEnv; cwd?: string };
  /** Resolves once a freshly started child serves, and its time is logged; rejects if it exits first or the group stops. */
  ready?: (process: ManagedProcess, stopping: AbortSignal) => Promise<void>;
}

export interface SupervisedProcess {
  /** The child running now, or the one that exited last while a restart is pending. */
  readonly current: ManagedProcess;
  readonly restarts: number;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * Runs `spec` in `group` and starts it again whenever it exits, after a delay that doubles while
 * it keeps failing (as Kubernetes does with restartPolicy Always). Each restart is logged to
 * `log` and to the child's log file. Nothing restarts once the group is stopping.
 */
export function supervise(
  group: ProcessGroup,
  spec: SupervisedSpec,
  log: (line: string) => void,
  policy = DEFAULT_RESTART_POLICY,
): SupervisedProcess {
  let current: ManagedProcess;
  let restarts = 0;
  let failuresInARow = 0;
  let pending: NodeJS.Timeout | undefined;
  group.stopping.addEventListener('abort', () => clearTimeout(pending), {
    once: true,
  });
  const say = (line: string) => {
    log(line);
    appendFileSync(spec.logFile, `[launcher] ${line}\n`);
  };

  const launch = (exitedAt?: number) => {
    const startedAt = Date.now();
    const restart = restarts;
    current = group.start(
      spec.name,
      spec.command,
      spec.args(),
      spec.logFile,
      spec.options,
    );
    current.child.once('exit', (code, signal) => {
      if (group.stopping.aborted) return;
      if (Date.now() - startedAt >= policy.healthyAfterMs) failuresInARow = 0;
      const delay = Math.min(
        policy.initialDelayMs * 2 ** failuresInARow,
        policy.maxDelayMs,
      );
      failuresInARow += 1;
      restarts += 1;
      say(
        `${spec.name} exited (${signal ? `signal ${signal}` : `code ${code}`}); restarting in ${delay / 1000} s (restart ${restarts})`,
      );
      const exited = Date.now();
      pending = setTimeout(() => launch(exited), delay);
    });
    spec.ready?.(current, group.stopping).then(
      () => {
        const since =
          exitedAt === undefined
            ? `${seconds(Date.now() - startedAt)} after its start`
            : `${seconds(Date.now() - exitedAt)} after it exited`;
        say(
          `${spec.name} ${restart === 0 ? 'is ready' : `is back (restart ${restart})`}: ready ${since}`,
        );
      },
      () => undefined, // It exited or the group is stopping: the exit handler has said so.
    );
  };

  launch();
  return {
    get current() {
      return current;
    },
    get restarts() {
      return restarts;
    },
  };
}
