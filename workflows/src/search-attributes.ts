import { defineSearchAttributeKey } from '@temporalio/common';

/** Visibility fields a campaign records so the backend can list and filter campaigns. */
export const CampaignSearchAttributes = {
  phase: defineSearchAttributeKey('SidecarCampaignPhase', 'KEYWORD'),
  container: defineSearchAttributeKey('SidecarCampaignContainer', 'KEYWORD'),
  targetImage: defineSearchAttributeKey(
    'SidecarCampaignTargetImage',
    'KEYWORD',
  ),
  entityRef: defineSearchAttributeKey('SidecarCampaignEntity', 'KEYWORD'),
  createdBy: defineSearchAttributeKey('SidecarCampaignCreatedBy', 'KEYWORD'),
} as const;

export const CAMPAIGN_SEARCH_ATTRIBUTE_KEYS = Object.values(
  CampaignSearchAttributes,
);
