import { defineQuery, defineSignal } from '@temporalio/workflow';
import {
  CAMPAIGN_FREEZES_SIGNAL,
  LANE_RELEASE_SIGNAL,
  CAMPAIGN_STATUS_QUERY,
  type CampaignSignal,
  type CampaignCounts,
  type CampaignPhase,
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
export const approveSignal = control('approve');
export const freezesSignal = defineSignal<[FreezeWindow[]]>(
  CAMPAIGN_FREEZES_SIGNAL,
);
export const statusQuery = defineQuery<CampaignStatus>(CAMPAIGN_STATUS_QUERY);

/** What a lane tells its campaign at each change of its phase. */
export interface LaneReport {
  campaignId: string;
  phase: CampaignPhase;
  reason?: string;
  counts: CampaignCounts;
}
export const laneReportSignal = defineSignal<[LaneReport]>('lane-report');
/** Ends a completed lane: its campaign will not roll it back. */
export const laneReleaseSignal = defineSignal(LANE_RELEASE_SIGNAL);
