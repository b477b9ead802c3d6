import type {
  CampaignActivities,
  TemplateActivities,
} from '@internal/sidecar-workflows';
import { awaitBatch, patchBatch } from './batch';
import { claimTargets } from './claim';
import { claimAndRollFirstWindow } from './claim-and-roll';
import type { ActivityDependencies } from './context';
import { measureMetric } from './measure';
import { releaseHolds } from './release';
import { rollBatches, tallyBatches } from './roll';
import { rollbackStep } from './rollback';
import { startTemplateCampaign } from './start-campaign';
import { templateImage } from './template-image';

export type { ActivityDependencies } from './context';

/** The activities the sidecarCampaign and campaignTemplateRun workflows call, bound to this worker's clusters. */
export function createActivities(
  deps: ActivityDependencies,
): CampaignActivities & TemplateActivities {
  return {
    claimTargets: ref => claimTargets(deps, ref),
    patchBatch: (ref, batch) => patchBatch(deps, ref, batch),
    awaitBatch: (ref, batch) => awaitBatch(deps, ref, batch),
    rollBatches: (ref, window) => rollBatches(deps, ref, window),
    claimAndRollFirstWindow: (ref, windowBatches) =>
      claimAndRollFirstWindow(deps, ref, windowBatches),
    tallyBatches: (ref, fromBatch, toBatch) =>
      tallyBatches(deps, ref, fromBatch, toBatch),
    rollbackStep: (ref, maxUnavailable) =>
      rollbackStep(deps, ref, maxUnavailable),
    releaseHolds: ref => releaseHolds(deps, ref),
    measureMetric: (ref, metricName) => measureMetric(deps, ref, metricName),
    templateImage: (spec, clusters) => templateImage(deps, spec, clusters),
    startTemplateCampaign,
  };
}
