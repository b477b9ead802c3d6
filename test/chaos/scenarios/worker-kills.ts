import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
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

export interface WorkerKillsOptions {
  pods: number;
  maxUnavailable: number;
  kills: number;
  /** Extra worker environment, e.g. a KUBECONFIG through the fault proxy. */
  workerEnv?: NodeJS.ProcessEnv;
  /** Faults injected besides the kills, for the table. */
  otherFaults?: () => string;
}

/**
 * SIGKILLs the worker once in each of the first `kills` batches: in odd batches the moment the
 * batch's first patch lands (the rest of the batch's patches half done), in even ones a random
 * 0.2–1.5 s later, while the batch's health wait is under way. The campaign must still complete.
 */
export async function killWorkerPerBatch(
  ctx: ChaosContext,
  name: string,
  options: WorkerKillsOptions,
): Promise<ScenarioResult> {
  const started = Date.now();
  const namespace = await inPlaceFleet(ctx.cluster, name, options.pods);
  return withCampaignWorker(
    name,
    join(ctx.workDir, `${name}-worker.log`),
    ctx.temporal,
    { ...ctx.env, ...options.workerEnv },
    async (harness, worker) => {
      const run = await startWatchedCampaign(
        harness,
        ctx.cluster,
        namespace,
        options.maxUnavailable,
        inPlaceSpec(namespace, options.maxUnavailable),
      );
      ctx.log(
        `${name}: ${options.pods} pods Ready, worker polling, campaign ${run.handle.workflowId} started`,
      );
      // Every batch's trigger is registered before the campaign can reach it.
      const triggers = Array.from({ length: options.kills }, (_, i) =>
        firstPatchOf(run.watcher, i),
      );
      for (const [i, trigger] of triggers.entries()) {
        await reached(trigger, `the first patch of batch ${i}`);
        if (i % 2 === 1) await delay(200 + Math.random() * 1_300);
        await worker.killAndRestart();
        ctx.log(
          `${name}: kill ${worker.kills} (batch ${i + 1}, ${i % 2 === 0 ? 'at its first patch' : 'during its health wait'})`,
        );
      }
      return settleScenario(
        name,
        started,
        run,
        'Completed',
        () =>
          [worker.describe(), options.otherFaults?.()]
            .filter(Boolean)
            .join('; '),
        worker.ownExits,
      );
    },
  );
}
