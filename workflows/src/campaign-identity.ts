import * as wf from '@temporalio/workflow';
import type { CampaignInput } from './campaign';
import type { CampaignRecord } from './campaign-record';
import { CampaignSearchAttributes } from './search-attributes';

/** At a campaign's first start: what it changes and for whom, in visibility, and its "created" event (`description` says what it will do). */
export function recordCampaignIdentity(
  record: CampaignRecord,
  input: CampaignInput,
  description: string,
): void {
  const { spec } = input;
  wf.upsertSearchAttributes({
    [CampaignSearchAttributes.container.name]: [spec.container],
    [CampaignSearchAttributes.targetImage.name]: [spec.targetImage],
    ...(input.entityRef
      ? { [CampaignSearchAttributes.entityRef.name]: [input.entityRef] }
      : {}),
    ...(input.createdBy
      ? { [CampaignSearchAttributes.createdBy.name]: [input.createdBy] }
      : {}),
  });
  record.event(new Date(), 'created', description, input.createdBy);
}
