import * as wf from '@temporalio/workflow';
import { campaignIdOf } from '@internal/plugin-sidecars-common/src/campaignIds';
import type {
  CampaignTemplateRunInput,
  CampaignTemplateRunResult,
} from '@internal/plugin-sidecars-common/src/templateRun';
import type { TemplateActivities } from './activity-contract';

const { templateImage, startTemplateCampaign } =
  wf.proxyActivities<TemplateActivities>({
    startToCloseTimeout: '2m',
    retry: {
      initialInterval: '1s',
      backoffCoefficient: 2,
      maximumInterval: '30s',
      maximumAttempts: 5,
    },
  });

/**
 * One run of a recurring campaign template, started by the template's Temporal Schedule: resolves
 * the target image (when the template follows other clusters' version) and starts the campaign.
 *
 * A Schedule names its workflows `<id>-<time>`, which cannot be a campaign id (a pod label value),
 * hence this launcher rather than scheduling the campaign itself. The campaign is started by an
 * activity, not as a child, so that it has no parent: it outlives the run, and is listed and
 * controlled like any campaign started from the portal.
 */
export async function campaignTemplateRun(
  input: CampaignTemplateRunInput,
): Promise<CampaignTemplateRunResult> {
  let spec = input.spec;
  if (input.targetImageFrom) {
    const found = await templateImage(spec, input.targetImageFrom.clusters);
    spec = { ...spec, targetImage: found.image };
    if (found.behind === 0)
      return {
        skipped:
          found.selected === 0
            ? `no selected pod has a container named "${spec.container}"`
            : `all ${found.selected} selected pod(s) already run ${found.image}`,
        targetImage: found.image,
      };
  }
  // wf.uuid4 is the workflow's deterministic randomness: a replay makes the same id.
  const suffix = wf.uuid4().replace(/-/g, '').slice(0, 6);
  const campaignId = campaignIdOf(spec, suffix);
  const campaign = {
    spec,
    createdBy: input.createdBy,
    ...(input.entityRef ? { entityRef: input.entityRef } : {}),
    ...(input.freezes?.length ? { freezes: input.freezes } : {}),
  };
  await startTemplateCampaign({
    campaignId,
    templateId: input.templateId,
    input: campaign,
  });
  return { campaignId, targetImage: spec.targetImage };
}
