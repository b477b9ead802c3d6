import { defineQuery, defineSignal } from '@temporalio/workflow';
import {
  CAMPAIGN_FREEZES_SIGNAL,
  CAMPAIGN_STATUS_QUERY,
  type CampaignSignal,
  type CampaignStatus,
  type ControlSignalArgs,
  type FreezeWindow,
} from '@internal/plugin-sidecars-common/src/workflow';

export {
  CAMPAIGN_TASK_QUEUE as TASK_QUEUE,
  CAMPAIGN_WORKFLOW_TYPE as WORKFLOW_TYPE,
} from '@internal/plugin-sidecars-common/src/workflow';

const control = (name: CampaignSignal) =>
  defineSignal<[ControlSignalArgs]>(name);

export const pauseSignal = control('pause');
export const resumeSignal = control('resume');
export const rollbackSignal = control('rollback');
export const abortSignal = control('abort');
export const freezesSignal = defineSignal<[FreezeWindow[]]>(
  CAMPAIGN_FREEZES_SIGNAL,
);
export const statusQuery = defineQuery<CampaignStatus>(CAMPAIGN_STATUS_QUERY);
