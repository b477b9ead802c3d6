import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ProcessGroup } from './processes';
import { supervise } from './supervisor';
import { waitFor } from './wait';

describe('supervise', () => {
  const dir = mkdtempSync(join(tmpdir(), 'supervisor-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('doubles the delay while the child keeps failing, up to the cap, and starts over after a healthy run', async () => {
    const group = new ProcessGroup();
    const logFile = join(dir, 'flaky.log');
    const lines: string[] = [];
    let starts = 0;
    // Starts 1-5 crash at once; start 6 runs longer than healthyAfterMs before it exits; start 7 crashes again.
    // (healthyAfterMs is far above a node process's start-up, also on a busy machine.)
    const behaviour = () =>
      ++starts === 6
        ? 'setTimeout(() => process.exit(3), 3_500)'
        : 'process.exit(1)';
    const flaky = supervise(
      group,
      {
        name: 'flaky',
        command: process.execPath,
        args: () => ['-e', behaviour()],
        logFile,
      },
      line => lines.push(line),
      {
        initialDelayMs: 50,
        maxDelayMs: 200,
        healthyAfterMs: 3_000,
      },
    );
    try {
      await waitFor(async () => flaky.restarts >= 7, {
        what: 'seven restarts',
        timeoutMs: 20_000,
        intervalMs: 20,
      });
    } finally {
      await group.stopAll();
    }
    assert.deepEqual(lines.slice(0, 7), [
      'flaky exited (code 1); restarting in 0.05 s (restart 1)',
      'flaky exited (code 1); restarting in 0.1 s (restart 2)',
      'flaky exited (code 1); restarting in 0.2 s (restart 3)',
      'flaky exited (code 1); restarting in 0.2 s (restart 4)',
      'flaky exited (code 1); restarting in 0.2 s (restart 5)',
      'flaky exited (code 3); restarting in 0.05 s (restart 6)',
      'flaky exited (code 1); restarting in 0.1 s (restart 7)',
    ]);
    assert.match(
      readFileSync(logFile, 'utf8'),
      /^\[launcher\] flaky exited \(code 1\); restarting in 0\.05 s \(restart 1\)$/m,
    );
  });

  it('does not restart a child that exits because the group stops', async () => {
    const group = new ProcessGroup();
    const lines: string[] = [];
    const server = supervise(
      group,
      {
        name: 'server',
        command: process.execPath,
        args: () => ['-e', 'setInterval(() => {}, 1000)'],
        logFile: join(dir, 'server.log'),
      },
      line => lines.push(line),
    );
    const first = server.current;
    await group.stopAll();
    assert.equal(first.child.signalCode, 'SIGTERM');
    assert.equal(server.current, first);
    assert.equal(server.restarts, 0);
    assert.deepEqual(lines, []);
  });
});
