import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './binaries';
import { kubeConfigFrom } from './cluster-objects';
import { seedDemoFleet, seedEveryCluster } from './seed';
import { BACKEND_URL, PORTAL_URL, startPortal } from './portal';
import { ProcessGroup } from './processes';
import { DEMO_TIMINGS, startStack, TEST_TIMINGS, type Stack } from './stack';
import { buildWorker } from './worker';

const log = (line: string) => console.log(`[stack] ${line}`);

/**
 * The fast tier, run first: pure logic, discovery against a fake cluster reader, the workflow with
 * fake activities (on the dev server), and the backend's router with fake services. No Kubernetes.
 */
const FAST_NODE_GLOBS = [
  'plugins/sidecars-common/src/**/*.test.ts',
  'plugins/sidecars-node/src/**/*.test.ts',
  'workflows/src/**/*.test.ts',
  'workers/src/**/*.test.ts',
  'test/workflow/**/*.test.ts',
];
const FAST_BACKEND_PATHS = [
  'src/http/',
  'src/schema/',
  'src/inventory/',
  'src/permissions/',
];
/** node:test suites against the whole stack; the Backstage packages' *.test.ts(x) files are jest suites (JEST_PACKAGES). */
const STACK_NODE_GLOBS = [
  'test/integration/**/*.test.ts',
  'dev/stack/**/*.test.ts',
];
const BACKEND_PACKAGE = 'plugins/sidecars-backend';

/** On Ctrl-C or SIGTERM, stops `portal` (if any) and then the stack, and exits. */
function stopOnSignals(stack: Stack, portal?: ProcessGroup): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping every server`);
      void (portal?.stopAll() ?? Promise.resolve())
        .then(() => stack.stop())
        .finally(() => process.exit(130));
    });
  }
}

async function start(): Promise<void> {
  const stack = await startStack({
    dataDir: join(REPO_ROOT, '.data'),
    temporalPort: 7233,
    temporalUiPort: 8233,
    apiServerPort: 6443,
    secondCluster: { apiServerPort: 6444 },
    nodes: 3,
    timings: DEMO_TIMINGS,
    prometheus: { port: 9098 },
    log,
  });
  const portal = new ProcessGroup();
  stopOnSignals(stack, portal);
  for (const { cluster, created } of await seedEveryCluster(stack.clusters))
    log(
      created > 0
        ? `seeded the demo fleet in ${cluster} (${created} objects)`
        : `demo fleet already present in ${cluster}`,
    );
  await startPortal(
    portal,
    stack.env,
    join(stack.dataDir, 'kube', 'logs'),
    log,
  );
  console.log(`
Sidecar Campaigns is up:
  Backstage portal   ${PORTAL_URL}   (sidebar: Sidecar campaigns; a service's Sidecars tab)
  Sidecars API       ${BACKEND_URL}/api/sidecars/
  Temporal Web UI    ${stack.temporal.uiUrl}   (gRPC ${stack.temporal.address})
${stack.clusters
  .map(
    c =>
      `  kube-apiserver     ${c.server}   (${c.name}: kubectl --kubeconfig ${c.kubeconfigPath})`,
  )
  .join('\n')}
  Prometheus         ${stack.prometheus?.url ?? 'not started'}   (the metric gates' queries; the pods' container state)
  data and logs      ${stack.dataDir}
Press Ctrl-C to stop everything.`);
  await new Promise(() => undefined);
}

/** Low enough that a campaign of 20 one-pod batches continues as new at least once. */
const TEST_CONTINUE_AS_NEW_AFTER = 150;

/** Backstage packages whose tests run under Backstage's jest configuration. */
const JEST_PACKAGES = [BACKEND_PACKAGE, 'plugins/sidecars', 'packages/app'];

function run(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<number> {
  const child = spawn(command, args, {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return once(child, 'exit').then(([code]) => (code as number | null) ?? 1);
}

const nodeTests = (files: string[], env: Record<string, string>) =>
  run(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=2',
      '--test-reporter=spec',
      ...files,
    ],
    REPO_ROOT,
    env,
  );

const jestTests = (
  packageDir: string,
  env: Record<string, string>,
  jestArgs: string[] = [],
) =>
  // CI=true: backstage-cli would otherwise run jest in watch mode.
  run(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules/@backstage/cli/bin/backstage-cli'),
      'package',
      'test',
      '--ci',
      '--passWithNoTests',
      ...jestArgs,
    ],
    join(REPO_ROOT, packageDir),
    { ...env, CI: 'true' },
  );

/** tsx runs TypeScript without checking it: the whole repo is type-checked once, strictly. */
function typecheck(): Promise<number> {
  log('type-checking the repository (tsc)');
  return run(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
    REPO_ROOT,
    {},
  );
}

/** The directories eslint checks, as `npm run lint` and `npm test` run it. */
const LINTED_DIRS = [
  'plugins',
  'packages',
  'workers',
  'workflows',
  'dev',
  'test',
];

/**
 * Backstage's prettier config (`prettier --write .` fixes what it reports) and eslint config (each
 * package's .eslintrc.js); neither needs the stack. Both run even when the first fails.
 */
async function lint(): Promise<number> {
  log('checking formatting (prettier) and lint (eslint)');
  const prettier = await run(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/prettier/bin/prettier.cjs'), '--check', '.'],
    REPO_ROOT,
    {},
  );
  const eslint = await run(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules/eslint/bin/eslint.js'),
      '--ext',
      '.ts,.tsx,.js',
      ...LINTED_DIRS,
    ],
    REPO_ROOT,
    {},
  );
  return prettier !== 0 ? prettier : eslint;
}

/** The browser tests, against the demo fleet and the portal as `npm start` runs them. */
async function browserTests(stack: Stack): Promise<number> {
  log('browser tests: seeding the demo fleet and starting the portal');
  // Not kwok-2's fleet: the browser tests find a service's controls by name, one workload each.
  await seedDemoFleet(kubeConfigFrom(stack.kubeconfigPath));
  const portal = new ProcessGroup();
  try {
    await startPortal(
      portal,
      stack.env,
      join(stack.dataDir, 'kube', 'logs'),
      log,
    );
    return await nodeTests(['test/e2e/**/*.e2e.ts'], {
      ...stack.env,
      PORTAL_URL,
    });
  } finally {
    await portal.stopAll();
  }
}

const worst = (codes: number[]) => codes.find(code => code !== 0) ?? 0;

/** The fast tier, timed: the node suites that need only the Temporal dev server, and the backend's router and pure modules. */
async function fastTier(stack: Stack): Promise<number[]> {
  const started = Date.now();
  log(
    'fast tier: unit and property tests, discovery, the workflow with fake activities, the router with fake services',
  );
  const codes = [
    await nodeTests(FAST_NODE_GLOBS, stack.env),
    await jestTests(BACKEND_PACKAGE, stack.env, FAST_BACKEND_PATHS),
  ];
  log(
    `fast tier ${worst(codes) === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  return codes;
}

/**
 * `test` runs everything; `test FILE…` only those node:test files; `test --jest DIR [JEST ARGS…]`
 * only that Backstage package's jest suite (e.g. a test path pattern); `test --browser` only the
 * browser tests; `test --fast` only the fast tier. Each run gets a throwaway stack of its own.
 */
async function test(args: string[]): Promise<number> {
  await buildWorker(log);
  const stack = await startStack({
    secondCluster: {},
    nodes: 3,
    timings: TEST_TIMINGS,
    suggestContinueAsNewAfterEvents: TEST_CONTINUE_AS_NEW_AFTER,
    prometheus: {},
    log,
  });
  stopOnSignals(stack);
  try {
    if (args[0] === '--jest')
      return await jestTests(args[1] ?? '', stack.env, args.slice(2));
    if (args[0] === '--browser') return await browserTests(stack);
    if (args[0] === '--fast') return worst(await fastTier(stack));
    if (args.length > 0) return await nodeTests(args, stack.env);
    const results = [
      ...(await fastTier(stack)),
      await typecheck(),
      await lint(),
    ];
    // The Backstage suites read fleet-wide inventory, so they run before the engine's suites add
    // workloads of their own to the shared cluster.
    for (const dir of JEST_PACKAGES.filter(d =>
      existsSync(join(REPO_ROOT, d, 'src')),
    )) {
      log(`jest: ${dir}`);
      results.push(
        await jestTests(
          dir,
          stack.env,
          dir === BACKEND_PACKAGE
            ? ['--testPathIgnorePatterns', ...FAST_BACKEND_PATHS]
            : [],
        ),
      );
    }
    results.push(await nodeTests(STACK_NODE_GLOBS, stack.env));
    results.push(await browserTests(stack));
    return worst(results);
  } finally {
    await stack.stop();
  }
}

function positiveInteger(
  value: string | boolean | undefined,
  flag: string,
): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new Error(
      `${flag} must be a whole number of 1 or more (e.g. ${flag} 32), not "${String(value)}"`,
    );
  return parsed;
}

/** `bench`: every test/bench/*.bench.ts script against a throwaway stack; they print figures. */
async function bench(args: string[]): Promise<number> {
  // `--kwok-parallelism N` is the stack's: a 100,000-pod fleet at KWOK's default of 4 pod stages at
  // a time takes about three hours.
  const { values, tokens } = parseArgs({
    args,
    options: { 'kwok-parallelism': { type: 'string' } },
    strict: false,
    tokens: true,
  });
  const kwokPodStageParallelism = positiveInteger(
    values['kwok-parallelism'],
    '--kwok-parallelism',
  );
  // The flag and its value, when given as a separate argument, are not passed on to the benchmarks.
  const stackArgs = new Set<number>();
  for (const token of tokens)
    if (token.kind === 'option' && token.name === 'kwok-parallelism') {
      stackArgs.add(token.index);
      if (!token.inlineValue) stackArgs.add(token.index + 1);
    }
  const rest = args.filter((_, i) => !stackArgs.has(i));
  const stack = await startStack({
    nodes: 3,
    timings: TEST_TIMINGS,
    kwokPodStageParallelism,
    log,
  });
  stopOnSignals(stack);
  try {
    // `bench [NAME…] [--flags]`: only the benchmarks named (e.g. floor-ratio), with the other arguments passed on.
    const all = readdirSync(join(REPO_ROOT, 'test/bench'))
      .filter(f => f.endsWith('.bench.ts'))
      .map(f => f.replace(/\.bench\.ts$/, ''));
    const names = rest.filter(arg => all.includes(arg));
    const flags = rest.filter(arg => !all.includes(arg));
    const scripts = (names.length > 0 ? names : all).map(
      name => `${name}.bench.ts`,
    );
    for (const script of scripts) {
      log(`bench: ${script}`);
      const code = await run(
        process.execPath,
        // A 100,000-pod bench keeps the fleet and a watch of it in memory: more than V8's default heap.
        [
          '--max-old-space-size=12288',
          '--import',
          'tsx',
          join('test/bench', script),
          ...flags,
        ],
        REPO_ROOT,
        stack.env,
      );
      if (code !== 0) return code;
    }
    return 0;
  } finally {
    await stack.stop();
  }
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'start':
      await start();
      break;
    case 'test':
      process.exitCode = await test(rest);
      break;
    case 'lint':
      process.exitCode = await lint();
      break;
    case 'bench':
      process.exitCode = await bench(rest);
      break;
    case 'chaos':
      // The chaos runner starts a stack of its own, with its watchers, around each scenario.
      await buildWorker(log);
      process.exitCode = await run(
        process.execPath,
        ['--import', 'tsx', 'test/chaos/run.ts', ...rest],
        REPO_ROOT,
        {},
      );
      break;
    default:
      console.error(
        `unknown command "${command}": use start, test, lint, bench or chaos`,
      );
      process.exitCode = 2;
  }
}

main().catch(error => {
  console.error(
    `[stack] ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
