/**
 * Campaign wall time against the physical floor, in one run on one stack: first B pods of the fleet
 * are patched directly at once and timed until they run the new image Ready (median of 3 rounds:
 * the floor of one batch); then a campaign over N pods with maxUnavailable B runs, and wall / (⌈N/B⌉ × floor)
 * is printed, for each pacing: "batches" (each batch waits for its slowest pod) and "rolling" (a
 * pod starts as soon as one settles). The fleet is Deployments of 100 pods, ten to a namespace,
 * on one KWOK node per 10,000 pods (at least the stack's). Also: history events per pod, the largest payload, the
 * worker's peak RSS, and pause latency under rolling pacing. Prints figures; asserts nothing.
 *
 *   npm run bench                       N=1,000/B=50 (both pacings) and N=10,000/B=500 (rolling)
 *   npm run bench -- --pods 100000      one campaign of that size (B = 5% of N)
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  PatchStrategy,
  setHeaderOptions,
  type V1Pod,
} from '@kubernetes/client-node';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import {
  parseCampaignSpec,
  type CampaignStatus,
  type CampaignStrategy,
} from '@internal/plugin-sidecars-common';
import { withRetries } from '@internal/plugin-sidecars-node';
import { statusQuery, WORKFLOW_TYPE } from '@internal/sidecar-workflows';
import { temporalFromEnvironment } from '@internal/sidecar-workers';
import { isReady, testCluster, type TestCluster } from '../support/cluster';
import { spreadFleet, type SpreadFleet } from '../support/fleet';
import { fakeNodes } from '@internal/dev-stack/stack/nodes';
import { createIfMissing } from '@internal/dev-stack/stack/cluster-objects';
import { killHard, startWorkerProcess } from '../support/worker-process';
import { waitFor } from '@internal/dev-stack/stack/wait';
import { podClock, type PodClock } from './pod-clock';
import {
  clusterProcesses,
  cpuMeter,
  peakRssMiB,
  type MeteredProcess,
} from './process-meter';

const CONTAINER = 'proxy';
const image = (tag: string) => `registry.example.com/proxy:${tag}`;
/** Fleets are created at about 60 pods/s here: allow a third of that, and never less than 30 minutes. */
const fleetReadyTimeoutMs = (pods: number) =>
  Math.max(30 * 60_000, (pods / 20) * 1000);
/** Pods per Deployment: a fleet spreads over services, and one Deployment of 10,000 replicas makes its ReplicaSet controller revisit every pod on each write. */
const SERVICE_REPLICAS = 100;
/** How often a running campaign's progress is printed, as the bench's pod clock sees it. */
const PROGRESS_INTERVAL_MS = 60_000;
/** How long no pod of the fleet may change before the floor is probed (KWOK works off its queue first). */
const FLEET_QUIET_MS = 5_000;

/** Pods per namespace (ten services): the Deployment controller walks a namespace's pods on each sync. */
const PODS_PER_NAMESPACE = 1_000;
/** KWOK nodes for a fleet: one per this many pods, and never fewer than the stack's. */
const PODS_PER_NODE = 10_000;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * q)]!;
const median = (values: number[]) => quantile(values, 0.5);
const spread = (values: number[]) =>
  values.length === 0
    ? 'none'
    : `median ${Math.round(median(values))} ms, p90 ${Math.round(quantile(values, 0.9))} ms`;

/**
 * Where a rolling campaign's time per slot goes: each pod's patch to Ready, and the refill, from a
 * slot's pod running Ready to the patch of the pod that takes the slot (the B-th patch after it).
 */
function slotTimes(clock: PodClock, target: string, batch: number): string {
  const patches = clock.patchTimes(target).sort((a, b) => a - b);
  const settles = clock.settleTimes(target).sort((a, b) => a - b);
  const refills = patches
    .slice(batch)
    .map((patched, k) => patched - settles[k]!)
    .filter(Number.isFinite);
  return `a pod's patch to Ready ${spread(clock.inFlightTimes(target))}; a slot's refill ${spread(refills)}`;
}

function payloadSizes(value: unknown): number[] {
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const own = Array.isArray(record.payloads)
    ? (record.payloads as Array<{ data?: Uint8Array }>).map(
        p => p.data?.length ?? 0,
      )
    : [];
  return [...own, ...Object.values(record).flatMap(payloadSizes)];
}

async function patchSidecar(
  cluster: TestCluster,
  pod: V1Pod,
  to: string,
): Promise<void> {
  const index = pod.spec!.containers.findIndex(c => c.name === CONTAINER);
  // Hundreds of patches at once can outrun the API server's streams per connection: retry those, as the worker does.
  await withRetries('patch pod', () =>
    cluster.core.patchNamespacedPod(
      {
        namespace: pod.metadata!.namespace!,
        name: pod.metadata!.name!,
        body: [
          { op: 'replace', path: `/spec/containers/${index}/image`, value: to },
        ],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    ),
  );
}

/**
 * The floor of one batch, in the cluster the campaign will run in: `batch` pods of the fleet,
 * spread over its Deployments, patched at once until all run the new image Ready; median of 3.
 * Probing on the fleet itself matters: the API server, the controllers and the emulated kubelet
 * are slower per pod with tens of thousands of pods present than on an empty cluster.
 */
async function probeFloor(
  cluster: TestCluster,
  fleet: SpreadFleet,
  clock: PodClock,
  batch: number,
  metered: readonly MeteredProcess[],
): Promise<number> {
  const step = Math.max(1, Math.floor(fleet.pods.length / batch));
  const sample = fleet.pods.filter((_, i) => i % step === 0).slice(0, batch);
  const rounds: number[] = [];
  const cpu = cpuMeter(metered);
  for (const tag of ['probe-1', 'probe-2', 'probe-3']) {
    const t0 = performance.now();
    await Promise.all(
      sample.map(pod => patchSidecar(cluster, pod, image(tag))),
    );
    rounds.push((await clock.settled(image(tag), sample.length)) - t0);
  }
  console.log(
    `floor probe: ${sample.length} of the fleet's pods patched at once, Ready on the new image after ${rounds.map(seconds).join(', ')} (median ${seconds(median(rounds))}); ` +
      `a pod's patch to Ready in the last round: ${spread(clock.inFlightTimes(image('probe-3')))}`,
  );
  console.log(`  ${cpu.perPod(3 * sample.length)}`);
  return median(rounds);
}

type Pacing = NonNullable<CampaignStrategy['pacing']>;

interface Campaigns {
  client: Client;
  taskQueue: string;
  start(
    namespaces: string[],
    selector: string,
    target: string,
    maxUnavailable: number,
    pacing: Pacing,
  ): Promise<WorkflowHandle>;
}

async function campaigns(
  taskQueue: string,
): Promise<Campaigns & { close(): Promise<void> }> {
  const temporal = temporalFromEnvironment();
  const connection = await Connection.connect(temporal.connection);
  const client = new Client({ connection, namespace: temporal.namespace });
  let started = 0;
  return {
    client,
    taskQueue,
    async start(namespaces, selector, target, maxUnavailable, pacing) {
      const parsed = parseCampaignSpec({
        container: CONTAINER,
        targetImage: target,
        selector: { namespaces, labelSelector: selector },
        strategy: { maxUnavailable, rollbackWindowSeconds: 0, pacing },
      });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      started += 1;
      return client.workflow.start(WORKFLOW_TYPE, {
        taskQueue,
        workflowId: `bench-${process.pid}-${started}`,
        args: [{ spec: parsed.spec }],
      });
    },
    close: () => connection.close(),
  };
}

/** Where a campaign's wall time went, from its recorded events: claim, the batches or windows (against the floor), release. */
function phaseBreakdown(
  status: CampaignStatus,
  startedAt: string,
  floorMs: number,
): string {
  const at = (type: string) =>
    status.events.filter(e => e.type === type).map(e => Date.parse(e.at));
  const claimed = at('claimed')[0];
  const lastBatch = at('batch').at(-1);
  const completed = at('phase:Completed')[0];
  if (
    claimed === undefined ||
    lastBatch === undefined ||
    completed === undefined
  )
    return 'phases: not all recorded';
  const release = `release ${seconds(completed - lastBatch)}`;
  const firstBatch = Date.parse(status.batches[0]?.startedAt ?? '');
  if (firstBatch < claimed) {
    // Rolling pacing without a canary: the first window ran while the claim was holding pods.
    const claimAndUpgradeMs = lastBatch - Date.parse(startedAt);
    return `phases: claim and upgrade overlapped ${seconds(claimAndUpgradeMs)} (ratio ${(claimAndUpgradeMs / floorMs).toFixed(2)} to the floor), ${release}`;
  }
  const upgradeMs = lastBatch - claimed;
  return `phases: claim ${seconds(claimed - Date.parse(startedAt))}, upgrade ${seconds(upgradeMs)} (ratio ${(upgradeMs / floorMs).toFixed(2)} to the floor), ${release}`;
}

/** One campaign over the whole fleet to `target` with `pacing`, timed against the floor. */
async function campaignFigures(
  run: Campaigns,
  fleet: SpreadFleet,
  clock: PodClock,
  target: string,
  pacing: Pacing,
  batch: number,
  floorMs: number,
  metered: readonly MeteredProcess[],
) {
  const pods = fleet.pods.length;
  const cpu = cpuMeter(metered);
  const t0 = performance.now();
  const t0Iso = new Date().toISOString();
  const handle = await run.start(
    fleet.namespaces,
    fleet.selector,
    target,
    batch,
    pacing,
  );
  const progress = setInterval(() => {
    const patched = clock.patchTimes(target).length;
    const settled = clock.settledCount(target);
    console.log(
      `  … ${seconds(performance.now() - t0)}: ${settled}/${pods} pods run ${target} Ready, ${patched - settled} in flight`,
    );
  }, PROGRESS_INTERVAL_MS);
  const status = (await handle
    .result()
    .finally(() => clearInterval(progress))) as CampaignStatus;
  const wallMs = performance.now() - t0;
  const batches = Math.ceil(pods / batch);
  const history = await handle.fetchHistory();
  const events = history.events?.length ?? 0;
  console.log(
    `campaign N=${pods} B=${batch} pacing ${pacing}: ${status.phase}, ${status.counts.upgraded}/${pods} upgraded in ${seconds(wallMs)}; ` +
      `floor ${batches} × ${seconds(floorMs)} = ${seconds(batches * floorMs)}; ratio ${(wallMs / (batches * floorMs)).toFixed(2)}`,
  );
  console.log(`  ${phaseBreakdown(status, t0Iso, batches * floorMs)}`);
  console.log(`  ${slotTimes(clock, target, batch)}`);
  console.log(`  ${cpu.perPod(pods)}`);
  console.log(
    `  history of the last run: ${events} events (${(events / pods).toFixed(3)} per pod); largest payload ${Math.max(...payloadSizes(history))} bytes`,
  );
  console.log(
    `  peak RSS (MiB): ${metered.map(p => `${p.name} ${peakRssMiB(p.pid).toFixed(0)}`).join(', ')}`,
  );
}

/** Pause mid-campaign: how long after the campaign acknowledged the pause its last patch landed. */
async function pauseLatency(
  run: Campaigns,
  fleet: SpreadFleet,
  clock: PodClock,
  batch: number,
  pacing: Pacing,
) {
  const pods = fleet.pods.length;
  const target = image('pause-probe');
  const handle = await run.start(
    fleet.namespaces,
    fleet.selector,
    target,
    batch,
    pacing,
  );
  await waitFor(
    async () =>
      clock.patchTimes(target).length >= Math.min(pods / 3, 3 * batch),
    {
      what: 'a third of the pods patched',
      timeoutMs: 10 * 60_000,
      intervalMs: 50,
    },
  );
  await handle.signal('pause', { by: 'bench', reason: 'pause latency' });
  const acknowledged = await waitFor(
    async () => {
      const status: CampaignStatus = await handle.query(statusQuery);
      return (
        status.events.some(e => e.type === 'pause' && e.by === 'bench') &&
        performance.now()
      );
    },
    {
      what: 'the campaign to record the pause',
      timeoutMs: 60_000,
      intervalMs: 20,
    },
  );
  await waitFor(
    async () =>
      ((await handle.query(statusQuery)) as CampaignStatus).phase === 'Paused',
    {
      what: 'the campaign to settle Paused',
      timeoutMs: 5 * 60_000,
      intervalMs: 100,
    },
  );
  const after = clock.patchTimes(target).filter(t => t > acknowledged);
  const last = Math.max(acknowledged, ...after);
  console.log(
    `pause (pacing ${pacing}): ${after.length} pod(s) patched after the campaign acknowledged the pause; last patch ${Math.round(last - acknowledged)} ms after it`,
  );
  await handle.signal('abort', { by: 'bench' });
  await handle.result();
}

/** The KWOK nodes a fleet of `pods` is placed on: the stack's, and more for large fleets, all Ready. */
async function fleetNodes(
  cluster: TestCluster,
  pods: number,
): Promise<string[]> {
  const existing = (await cluster.core.listNode()).items.length;
  const wanted = Math.max(existing, Math.ceil(pods / PODS_PER_NODE));
  await createIfMissing(cluster.kc, fakeNodes(wanted));
  return waitFor(
    async () => {
      const { items } = await cluster.core.listNode();
      const ready = items.filter(isReady);
      return ready.length >= wanted && ready.map(node => node.metadata!.name!);
    },
    { what: `${wanted} Ready KWOK nodes`, timeoutMs: 60_000 },
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { pods: { type: 'string' } },
    strict: false,
  });
  const sizes: Array<[number, number]> = values.pods
    ? [[Number(values.pods), Math.max(1, Math.round(Number(values.pods) / 20))]]
    : [
        [1000, 50],
        [10000, 500],
      ];
  const cluster = testCluster();
  const nodeNames = await fleetNodes(
    cluster,
    Math.max(...sizes.map(([pods]) => pods)),
  );
  const taskQueue = `bench-${process.pid}`;
  const worker = await startWorkerProcess(taskQueue);
  const metered: MeteredProcess[] = [
    ...clusterProcesses(),
    { name: 'worker', pid: worker.pid! },
    { name: 'bench (its pod watch)', pid: process.pid },
  ];
  const run = await campaigns(taskQueue);
  try {
    for (const [index, [pods, batch]] of sizes.entries()) {
      const created = performance.now();
      const fleet = await spreadFleet(
        cluster,
        `bench-${pods}`,
        pods,
        { name: CONTAINER, image: image('1.0.0') },
        {
          podsPerNamespace: PODS_PER_NAMESPACE,
          replicasPerDeployment: SERVICE_REPLICAS,
          nodeNames,
          readyTimeoutMs: fleetReadyTimeoutMs(pods),
        },
      );
      console.log(
        `fleet: ${pods} Ready pods in ${fleet.namespaces.length} namespaces on ${nodeNames.length} KWOK nodes, in ${seconds(performance.now() - created)}`,
      );
      const clock = await podClock(
        cluster,
        { labelSelector: fleet.selector },
        CONTAINER,
      );
      try {
        const settling = performance.now();
        await clock.quiet(FLEET_QUIET_MS);
        console.log(
          `fleet settled: no pod changed for ${seconds(FLEET_QUIET_MS)}, ${seconds(performance.now() - settling - FLEET_QUIET_MS)} after the Deployments counted every pod Ready`,
        );
        const floorMs = await probeFloor(cluster, fleet, clock, batch, metered);
        // Batches only on the first size: the comparison is made there, and the large fleet is slow to roll in batches.
        const pacings: Pacing[] =
          index === 0 && !values.pods ? ['batches', 'rolling'] : ['rolling'];
        for (const [round, pacing] of pacings.entries())
          await campaignFigures(
            run,
            fleet,
            clock,
            image(`1.${round + 1}.0`),
            pacing,
            batch,
            floorMs,
            metered,
          );
        // Not in the one-size mode: at 100,000 pods it would add half an hour.
        if (index === 0 && !values.pods)
          await pauseLatency(run, fleet, clock, batch, 'rolling');
      } finally {
        clock.stop();
        for (const name of fleet.namespaces)
          await cluster.core.deleteNamespace({ name });
      }
    }
  } finally {
    await run.close();
    await killHard(worker);
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
