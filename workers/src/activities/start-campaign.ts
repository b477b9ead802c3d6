import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  CAMPAIGN_MEMO_TEMPLATE_KEY,
  CAMPAIGN_WORKFLOW_TYPE,
} from '@internal/plugin-sidecars-common';
import {
  CampaignSearchAttributes,
  type TemplateCampaignStart,
} from '@internal/sidecar-workflows';

/** The memo and search attributes the backend's CampaignService.start gives a campaign, so it lists as one. */
function visibilityOf({ input, templateId }: TemplateCampaignStart) {
  const { spec, createdBy, entityRef } = input;
  return {
    memo: {
      spec,
      container: spec.container,
      targetImage: spec.targetImage,
      createdBy,
      ...(entityRef ? { entityRef } : {}),
      [CAMPAIGN_MEMO_TEMPLATE_KEY]: templateId,
    },
    typedSearchAttributes: [
      { key: CampaignSearchAttributes.phase, value: 'Scheduled' },
      { key: CampaignSearchAttributes.container, value: spec.container },
      { key: CampaignSearchAttributes.targetImage, value: spec.targetImage },
      { key: CampaignSearchAttributes.createdBy, value: createdBy },
      ...(entityRef
        ? [{ key: CampaignSearchAttributes.entityRef, value: entityRef }]
        : []),
    ],
  };
}

/** See TemplateActivities.startTemplateCampaign: through the worker's own client, on its task queue. */
export async function startTemplateCampaign(
  start: TemplateCampaignStart,
): Promise<void> {
  const context = Context.current();
  try {
    await context.client.workflow.start(CAMPAIGN_WORKFLOW_TYPE, {
      taskQueue: context.info.taskQueue,
      workflowId: start.campaignId,
      args: [start.input],
      ...visibilityOf(start),
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return;
    throw error;
  }
}
