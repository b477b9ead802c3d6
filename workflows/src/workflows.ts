// The module the worker bundles into Temporal's deterministic sandbox.
export { sidecarCampaign, sidecarCampaignLane } from './campaign';
export { campaignTemplateRun } from './template-run';
