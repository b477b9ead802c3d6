/**
 * How big a campaign's Temporal history and payloads get: a 1,000-pod in-place campaign against the
 * real stack, then the planner alone on 100,000 pods. Prints figures; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { planBatches, parseCampaignSpec } from '@internal/plugin-sidecars-common';
import { testCluster } from '../support/cluster';
import { awaitPhase, campaignHarness } from '../support/campaigns';
import { injectedFleet } from '../support/fleet';

const PODS = Number(process.env.BENCH_PODS ?? 1000);

function payloadBytes(value: unknown): number[] {
  if (!value || typeof value !== 'object') return [];
  const sizes: number[] = [];
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.payloads)) {
    for (const payload of record.payloads as Array<{ data?: Uint8Array }>) sizes.push(payload.data?.length ?? 0);
  }
  for (const child of Object.values(record)) if (child && typeof child === 'object') sizes.push(...payloadBytes(child));
  return sizes;
}

async function campaignFigures(): Promise<void> {
  const cluster = testCluster();
  const started = performance.now();
  const fleet = await injectedFleet(cluster, 'bench', PODS, { name: 'proxy', image: 'registry.example.com/proxy:1.0.0' });
  console.log(`fleet: ${PODS} Ready pods in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const h = await campaignHarness('bench');
  await h.startWorker();
  try {
    const t0 = performance.now();
    const handle = await h.start({
      container: 'proxy',
      targetImage: 'registry.example.com/proxy:1.1.0',
      selector: { namespaces: [fleet.namespace], labelSelector: fleet.selector },
      strategy: { maxUnavailable: '5%', rollbackWindowSeconds: 0 },
    });
    const status = await awaitPhase(handle, 'Completed', 30 * 60_000);
    const seconds = (performance.now() - t0) / 1000;
    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    const sizes = payloadBytes(history);
    const statusBytes = Buffer.byteLength(JSON.stringify(status));
    console.log(`campaign: ${status.counts.upgraded}/${PODS} pods upgraded in ${status.totalBatches} batches, ${seconds.toFixed(1)} s (${(PODS / seconds).toFixed(1)} pods/s)`);
    console.log(`history: ${events.length} events (Temporal warns at 10,240 and stops at 51,200), ${Buffer.byteLength(JSON.stringify(history))} bytes as JSON`);
    console.log(`payloads: ${sizes.length}, largest ${Math.max(...sizes)} bytes (limit 2 MB); status query result ${statusBytes} bytes`);
  } finally {
    await h.close();
  }
}

function plannerFigures(): void {
  const parsed = parseCampaignSpec({ container: 'proxy', targetImage: 'registry.example.com/proxy:1.1.0', selector: { fleetWide: true }, strategy: { maxUnavailable: '1%', order: { by: 'scatter', topologyKey: 'zone' } } });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const pods = Array.from({ length: 100_000 }, (_, i) => ({ key: `c${i % 4}/ns${i % 50}/pod-${i}`, labels: { zone: `zone-${i % 3}` } }));
  const t0 = performance.now();
  const plan = planBatches(pods, parsed.spec.strategy);
  console.log(`planner: 100,000 pods into ${plan.batches.length} scattered batches in ${(performance.now() - t0).toFixed(0)} ms (runs in the claim activity; only counts reach the workflow)`);
}

plannerFigures();
campaignFigures().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
