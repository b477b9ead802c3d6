import { join } from 'node:path';
import { awaitPhase } from '../../support/campaigns';
import {
  FLEET_LABELS,
  firstPatchOf,
  reached,
  inPlaceFleet,
  inPlaceSpec,
  settleScenario,
  startWatchedCampaign,
  WORKLOAD_SIDECAR,
  WORKLOAD_TARGET_IMAGE,
  type ScenarioResult,
} from '../campaign-run';
import { withCampaignWorker } from '../chaos-worker';
import type { ChaosContext } from '../context';
import { workloadFleet } from '../workload-fleet';

/** A completed in-place campaign rolled back on request; the worker is SIGKILLed at the first rollback patch and again halfway. */
export async function killDuringRollback(
  ctx: ChaosContext,
  name: string,
  options: { pods: number; maxUnavailable: number },
): Promise<ScenarioResult> {
  const started = Date.now();
  const namespace = await inPlaceFleet(ctx.cluster, name, options.pods);
  return withCampaignWorker(
    name,
    join(ctx.workDir, `${name}-worker.log`),
    ctx.temporal,
    ctx.env,
    async (harness, worker) => {
      const run = await startWatchedCampaign(
        harness,
        ctx.cluster,
        namespace,
        options.maxUnavailable,
        inPlaceSpec(namespace, options.maxUnavailable),
      );
      await awaitPhase(run.handle, 'Completed');
      let rolledBack = 0;
      const halfway = Math.ceil(options.pods / 2);
      const triggers = [
        run.watcher.nextChange(c => c.direction === 'rollback'),
        run.watcher.nextChange(
          c => c.direction === 'rollback' && ++rolledBack === halfway,
        ),
      ];
      await run.handle.signal('rollback', {
        reason: 'chaos: rollback under worker kills',
        by: 'chaos',
      });
      for (const [i, trigger] of triggers.entries()) {
        await reached(trigger, `rollback patch ${i === 0 ? 1 : halfway}`);
        await worker.killAndRestart();
        ctx.log(`${name}: kill ${worker.kills} during the rollback`);
      }
      return settleScenario(
        name,
        started,
        run,
        'RolledBack',
        () => worker.describe(),
        worker.ownExits,
      );
    },
  );
}

/** A workload-mode campaign over Deployments declaring the sidecar; the worker is SIGKILLed at the first template patch of each of the first two batches. */
export async function killInWorkloadMode(
  ctx: ChaosContext,
  name: string,
  options: { deployments: number; maxUnavailable: number },
): Promise<ScenarioResult> {
  const started = Date.now();
  const namespace = await workloadFleet(ctx.cluster, name, options.deployments);
  const spec = {
    container: WORKLOAD_SIDECAR,
    targetImage: WORKLOAD_TARGET_IMAGE,
    mode: 'workload',
    selector: {
      namespaces: [namespace],
      labelSelector: `app=${FLEET_LABELS.app}`,
    },
    strategy: { maxUnavailable: options.maxUnavailable },
  };
  return withCampaignWorker(
    name,
    join(ctx.workDir, `${name}-worker.log`),
    ctx.temporal,
    ctx.env,
    async (harness, worker) => {
      const run = await startWatchedCampaign(
        harness,
        ctx.cluster,
        namespace,
        options.maxUnavailable,
        spec,
        'workload',
      );
      for (const [batch, trigger] of [
        firstPatchOf(run.watcher, 0),
        firstPatchOf(run.watcher, 1),
      ].entries()) {
        await reached(trigger, `the first Deployment patch of batch ${batch}`);
        await worker.killAndRestart();
        ctx.log(
          `${name}: kill ${worker.kills} at a batch's first Deployment patch`,
        );
      }
      return settleScenario(
        name,
        started,
        run,
        'Completed',
        () => worker.describe(),
        worker.ownExits,
      );
    },
  );
}
