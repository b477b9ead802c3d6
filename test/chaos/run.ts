import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { temporalFromEnvironment } from '@internal/sidecar-workers';
import { startStack, TEST_TIMINGS } from '@internal/dev-stack/stack/stack';
import { testCluster } from '../support/cluster';
import type { ScenarioResult } from './campaign-run';
import type { ChaosContext } from './context';
import { SafetyWatcher } from './safety-watcher';
import { apiFaults } from './scenarios/api-faults';
import { backendRestart } from './scenarios/backend-restart';
import {
  killDuringRollback,
  killInWorkloadMode,
} from './scenarios/rollback-and-workload';
import { temporalRestart } from './scenarios/temporal-restart';
import { killWorkerPerBatch } from './scenarios/worker-kills';
import { chaosTable, failed } from './table';

/** Every scenario by name; each runs a campaign in a namespace of its own, one after the other. */
const SCENARIOS: Record<
  string,
  (ctx: ChaosContext, name: string) => Promise<ScenarioResult>
> = {
  'worker-kills': (ctx, name) =>
    killWorkerPerBatch(ctx, name, { pods: 500, maxUnavailable: 25, kills: 20 }),
  'temporal-restart': (ctx, name) =>
    temporalRestart(ctx, name, {
      pods: 100,
      maxUnavailable: 10,
      atBatches: [2, 6],
    }),
  'api-faults': (ctx, name) =>
    apiFaults(ctx, name, {
      pods: 200,
      maxUnavailable: 20,
      faultRate: 0.1,
      kills: 0,
    }),
  'backend-restart': (ctx, name) =>
    backendRestart(ctx, name, { pods: 60, maxUnavailable: 6 }),
  'rollback-kills': (ctx, name) =>
    killDuringRollback(ctx, name, { pods: 60, maxUnavailable: 6 }),
  'workload-kills': (ctx, name) =>
    killInWorkloadMode(ctx, name, { deployments: 6, maxUnavailable: 2 }),
};

/**
 * `npm run chaos [SCENARIO…]`: the scenarios (all, or those named) against a throwaway stack, then
 * the table. Exits non-zero when a scenario that ran ended in another phase or with a violation.
 */
async function chaos(
  names: string[],
  log: (line: string) => void,
): Promise<number> {
  const unknown = names.filter(n => !(n in SCENARIOS));
  if (unknown.length > 0)
    throw new Error(
      `unknown chaos scenario(s) ${unknown.join(', ')}: choose from ${Object.keys(SCENARIOS).join(', ')}`,
    );
  const workDir = mkdtempSync(join(tmpdir(), 'sidecar-chaos-'));
  const stack = await startStack({ nodes: 3, timings: TEST_TIMINGS, log });
  // The test support modules (cluster clients, Temporal settings, worker processes) read these.
  Object.assign(process.env, stack.env);
  const ctx: ChaosContext = {
    cluster: testCluster(),
    temporal: temporalFromEnvironment(),
    env: stack.env,
    workDir,
    log,
  };
  const results: ScenarioResult[] = [];
  try {
    for (const name of names.length > 0 ? names : Object.keys(SCENARIOS)) {
      log(`chaos: ${name}`);
      const started = Date.now();
      const result = await SCENARIOS[name]!(ctx, name).catch(
        (error: unknown): ScenarioResult => ({
          scenario: name,
          faults: '?',
          wallMs: Date.now() - started,
          expectedPhase: 'Completed',
          phase: 'not run',
          notes: [
            `the scenario failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          ],
        }),
      );
      results.push(result);
      log(
        `chaos: ${name} done in ${(result.wallMs / 1000).toFixed(0)} s: ${result.phase}, ${result.report?.violations.length ?? '?'} violations`,
      );
    }
  } finally {
    SafetyWatcher.stopAll();
    await stack.stop();
  }
  console.log(`\n${chaosTable(results)}\n`);
  if (!results.some(failed)) {
    rmSync(workDir, { recursive: true, force: true });
    return 0;
  }
  log(`scenario files and logs kept in ${workDir}`);
  return 1;
}

chaos(process.argv.slice(2), line => console.log(`[chaos] ${line}`)).then(
  code => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      `[chaos] ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
  },
);
