// The contract of the campaignTemplateRun workflow, which a template's Temporal Schedule starts.
// Loaded into the workflow sandbox: types and constants only.
import type { FreezeWindow } from './freezes';
import type { CampaignSpec } from './spec';

export const CAMPAIGN_TEMPLATE_RUN_WORKFLOW_TYPE = 'campaignTemplateRun';
/** A template's Schedule id is this prefix and the template's id. */
export const TEMPLATE_SCHEDULE_PREFIX = 'sidecar-template-';
/** The campaign memo key naming the template that started it. */
export const CAMPAIGN_MEMO_TEMPLATE_KEY = 'template';

/** At each run, the target image is the one most pods of the selection run in these clusters. */
export interface TargetImageFrom {
  clusters: string[];
}

export interface CampaignTemplateRunInput {
  templateId: string;
  /** The resolved spec (an entity's selection already written into its selector). */
  spec: CampaignSpec;
  /** Who created the template: each campaign it starts is theirs. */
  createdBy: string;
  entityRef?: string;
  /** The configured freezes of the spec's scope; the backend rewrites them into the Schedule at its start. */
  freezes?: FreezeWindow[];
  targetImageFrom?: TargetImageFrom;
}

export type CampaignTemplateRunResult =
  | { campaignId: string; targetImage: string }
  /** Nothing to do: e.g. the selection already runs the resolved image everywhere. */
  | { skipped: string; targetImage: string };
