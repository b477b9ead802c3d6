/**
 * The planner alone on 100,000 pods: it runs inside the claim activity, and only counts reach the
 * workflow. (Campaign figures against the real stack: floor-ratio.bench.ts.) Prints; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import {
  planBatches,
  parseCampaignSpec,
} from '@internal/plugin-sidecars-common';

const parsed = parseCampaignSpec({
  container: 'proxy',
  targetImage: 'registry.example.com/proxy:1.1.0',
  selector: { fleetWide: true },
  strategy: {
    maxUnavailable: '1%',
    order: { by: 'scatter', topologyKey: 'zone' },
  },
});
if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
const pods = Array.from({ length: 100_000 }, (_, i) => ({
  key: `c${i % 4}/ns${i % 50}/pod-${i}`,
  labels: { zone: `zone-${i % 3}` },
}));
const t0 = performance.now();
const plan = planBatches(pods, parsed.spec.strategy);
console.log(
  `planner: 100,000 pods into ${plan.batches.length} scattered batches in ${(performance.now() - t0).toFixed(0)} ms`,
);
