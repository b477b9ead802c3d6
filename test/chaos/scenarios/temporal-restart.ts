import { join } from 'node:path';
import { freePort } from '@internal/dev-stack/stack/ports';
import {
  startTemporal,
  type RunningTemporal,
} from '@internal/dev-stack/stack/temporal';
import {
  firstPatchOf,
  reached,
  inPlaceFleet,
  inPlaceSpec,
  settleScenario,
  startWatchedCampaign,
  type ScenarioResult,
} from '../campaign-run';
import { withCampaignWorker } from '../chaos-worker';
import type { ChaosContext } from '../context';

export interface TemporalRestartOptions {
  pods: number;
  maxUnavailable: number;
  /** Restart Temporal at the first patch of each of these batches (counted from 0). */
  atBatches: number[];
}

/**
 * A Temporal dev server of the scenario's own with a database file, stopped and started again on
 * the same port at the first patch of some batches; the worker and the client must ride it out.
 */
export async function temporalRestart(
  ctx: ChaosContext,
  name: string,
  options: TemporalRestartOptions,
): Promise<ScenarioResult> {
  const started = Date.now();
  const server = {
    port: await freePort(),
    uiPort: await freePort(),
    dbFilename: join(ctx.workDir, `${name}.db`),
  };
  let temporal: RunningTemporal = await startTemporal(server);
  const downtimes: number[] = [];
  const namespace = await inPlaceFleet(ctx.cluster, name, options.pods);
  const settings = {
    connection: { address: temporal.address },
    namespace: temporal.namespace,
  };
  try {
    return await withCampaignWorker(
      name,
      join(ctx.workDir, `${name}-worker.log`),
      settings,
      { ...ctx.env, TEMPORAL_ADDRESS: temporal.address },
      async (harness, worker) => {
        const run = await startWatchedCampaign(
          harness,
          ctx.cluster,
          namespace,
          options.maxUnavailable,
          inPlaceSpec(namespace, options.maxUnavailable),
        );
        const triggers = options.atBatches.map(batch =>
          firstPatchOf(run.watcher, batch),
        );
        for (const [i, trigger] of triggers.entries()) {
          await reached(
            trigger,
            `the first patch of batch ${options.atBatches[i]}`,
          );
          const down = Date.now();
          await temporal.stop();
          temporal = await startTemporal(server);
          downtimes.push(Date.now() - down);
          ctx.log(`${name}: Temporal restarted (${downtimes.at(-1)} ms down)`);
        }
        const faults = () =>
          [
            `${downtimes.length} Temporal restarts (down ${downtimes.map(ms => `${(ms / 1000).toFixed(1)} s`).join(', ')})`,
            worker.describe(),
          ]
            .filter(Boolean)
            .join('; ');
        return settleScenario(
          name,
          started,
          run,
          'Completed',
          faults,
          worker.ownExits,
        );
      },
    );
  } finally {
    await temporal.stop();
  }
}
