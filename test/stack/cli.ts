import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { REPO_ROOT } from './binaries';
import { kubeConfigFrom } from './cluster-objects';
import { seedDemoFleet } from './seed';
import { DEMO_TIMINGS, startStack, TEST_TIMINGS, type Stack } from './stack';

const log = (line: string) => console.log(`[stack] ${line}`);

const TEST_GLOBS = ['plugins/*/src/**/*.test.ts', 'workflows/src/**/*.test.ts', 'workers/src/**/*.test.ts', 'test/**/*.test.ts'];

function stopOnSignals(stack: Stack): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping every server`);
      void stack.stop().finally(() => process.exit(130));
    });
  }
}

async function start(): Promise<void> {
  const stack = await startStack({
    dataDir: join(REPO_ROOT, '.data'),
    temporalPort: 7233,
    temporalUiPort: 8233,
    apiServerPort: 6443,
    nodes: 3,
    timings: DEMO_TIMINGS,
    log,
  });
  stopOnSignals(stack);
  const kc = kubeConfigFrom(stack.kubeconfigPath);
  const created = await seedDemoFleet(kc);
  log(created > 0 ? `seeded the demo fleet (${created} objects)` : 'demo fleet already present');
  console.log(`
Sidecar Campaigns local stack is up:
  Temporal gRPC      ${stack.temporal.address}
  Temporal Web UI    ${stack.temporal.uiUrl}
  kube-apiserver     ${stack.kubeApiServer}   (kubectl --kubeconfig ${stack.kubeconfigPath})
  data and logs      ${stack.dataDir}
Press Ctrl-C to stop everything.`);
  await new Promise(() => undefined);
}

async function test(extraArgs: string[]): Promise<number> {
  const stack = await startStack({ nodes: 3, timings: TEST_TIMINGS, log });
  stopOnSignals(stack);
  try {
    const runner = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...extraArgs, ...(extraArgs.some(a => !a.startsWith('-')) ? [] : TEST_GLOBS)],
      { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, ...stack.env } },
    );
    const [code] = (await once(runner, 'exit')) as [number | null];
    return code ?? 1;
  } finally {
    await stack.stop();
  }
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'start':
      return start();
    case 'test':
      process.exitCode = await test(rest);
      return;
    default:
      console.error(`unknown command "${command}": use start or test`);
      process.exitCode = 2;
  }
}

main().catch(error => {
  console.error(`[stack] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
