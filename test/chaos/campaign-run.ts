import type { WorkflowHandle } from '@temporalio/client';
import type {
  CampaignPhase,
  CampaignStatus,
} from '@internal/plugin-sidecars-common';
import {
  awaitPhase,
  statusOf,
  type CampaignHarness,
} from '../support/campaigns';
import {
  awaitReadyPods,
  simpleDeployment,
  type TestCluster,
} from '../support/cluster';
import { APP_IMAGE, injectedFleet } from '../support/fleet';
import {
  SafetyWatcher,
  type Direction,
  type SafetyReport,
} from './safety-watcher';

export const OLD_IMAGE = 'registry.example.com/proxy:1.0.0';
export const TARGET_IMAGE = 'registry.example.com/proxy:1.1.0';
const SIDECAR = 'proxy';
export const WORKLOAD_SIDECAR = 'cloud-sql-proxy';
export const WORKLOAD_OLD_IMAGE =
  'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0';
export const WORKLOAD_TARGET_IMAGE =
  'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0';
export const FLEET_LABELS = { app: 'fleet' };
const BYSTANDERS = 4;

/** One scenario's line in the table. */
export interface ScenarioResult {
  scenario: string;
  faults: string;
  wallMs: number;
  expectedPhase: CampaignPhase;
  phase: CampaignPhase | 'not run';
  report?: SafetyReport;
  notes: string[];
  /** Set when the scenario could not run here (e.g. a port it needs is taken); not a failure. */
  notRunReason?: string;
}

/**
 * A namespace with `replicas` pods that get the `proxy` sidecar injected, selected by app=fleet, and
 * a few bystander pods with the same sidecar that the selector leaves out, which must stay untouched.
 */
export async function inPlaceFleet(
  cluster: TestCluster,
  prefix: string,
  replicas: number,
): Promise<string> {
  const { namespace } = await injectedFleet(cluster, prefix, replicas, {
    name: SIDECAR,
    image: OLD_IMAGE,
  });
  await cluster.apps.createNamespacedDeployment({
    namespace,
    body: simpleDeployment('bystander', namespace, BYSTANDERS, [
      { name: 'app', image: APP_IMAGE },
    ]),
  });
  await awaitReadyPods(cluster, namespace, 'app=bystander', BYSTANDERS);
  return namespace;
}

export const inPlaceSpec = (
  namespace: string,
  maxUnavailable: number,
  strategy: Record<string, unknown> = {},
) => ({
  container: SIDECAR,
  targetImage: TARGET_IMAGE,
  // The chaos stack runs one cluster; a backend it starts also lists app-config's kwok-2, which is down here.
  selector: {
    clusters: ['local'],
    namespaces: [namespace],
    labelSelector: 'app=fleet',
  },
  strategy: { maxUnavailable, ...strategy },
});

/** The independent watcher over the test fleet in `namespace` (selected by app=fleet). */
export function watchFleet(
  cluster: TestCluster,
  namespace: string,
  maxUnavailable: number,
  mode: 'in-place' | 'workload' = 'in-place',
): Promise<SafetyWatcher> {
  const inPlace = mode === 'in-place';
  return SafetyWatcher.start({
    kc: cluster.kc,
    namespace,
    matchLabels: FLEET_LABELS,
    container: inPlace ? SIDECAR : WORKLOAD_SIDECAR,
    oldImage: inPlace ? OLD_IMAGE : WORKLOAD_OLD_IMAGE,
    targetImage: inPlace ? TARGET_IMAGE : WORKLOAD_TARGET_IMAGE,
    maxUnavailable,
    mode,
  });
}

/** Starts the independent watcher on `namespace`, then the campaign. */
export async function startWatchedCampaign(
  harness: CampaignHarness,
  cluster: TestCluster,
  namespace: string,
  maxUnavailable: number,
  spec: object,
  mode: 'in-place' | 'workload' = 'in-place',
) {
  const watcher = await watchFleet(cluster, namespace, maxUnavailable, mode);
  const handle = await harness.start(spec);
  return { watcher, handle };
}

/** The first patch of `batch` (counted from 0, as the `sidecar-campaigns.io/batch` label does) in `direction`. */
export const firstPatchOf = (
  watcher: SafetyWatcher,
  batch: number,
  direction: Direction = 'upgrade',
) =>
  watcher.nextChange(
    c => c.direction === direction && c.batch === String(batch),
  );

/** Awaits a moment a scenario aims at; a campaign that never gets there fails the scenario instead of hanging it. */
export async function reached<T>(
  moment: Promise<T>,
  what: string,
  timeoutMs = 180_000,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `the campaign did not reach ${what} within ${timeoutMs / 1000} s`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([moment, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits for the campaign to settle, then reads the watcher's report. A campaign that settles in
 * another phase, or does not settle in time, is recorded as such rather than thrown.
 */
export async function settleScenario(
  scenario: string,
  started: number,
  run: { watcher: SafetyWatcher; handle: WorkflowHandle },
  expectedPhase: CampaignPhase,
  faults: () => string,
  notes: string[] = [],
  timeoutMs = 600_000,
): Promise<ScenarioResult & { status?: CampaignStatus }> {
  let status: CampaignStatus | undefined;
  let phase: CampaignPhase | 'not run' = 'not run';
  try {
    status = await awaitPhase(run.handle, expectedPhase, timeoutMs);
    phase = status.phase;
  } catch (error) {
    notes.push(error instanceof Error ? error.message : String(error));
    phase = await statusOf(run.handle).then(
      s => s.phase,
      () => 'not run' as const,
    );
  }
  const report = await run.watcher.finish();
  return {
    scenario,
    faults: faults(),
    wallMs: Date.now() - started,
    expectedPhase,
    phase,
    report,
    notes,
    status,
  };
}
