import type { CampaignPhase } from './workflowContract';

/**
 * The Backstage Signals channels the backend publishes campaign changes on. Signals reach every
 * signed-in user, so a message names the campaign and its phase only: a page that hears one
 * refetches through the permission-checked REST API.
 */
export const CAMPAIGN_SIGNAL_CHANNELS = {
  /** Any campaign changed: for the campaigns list. */
  list: 'sidecars:campaigns',
  /** One campaign changed: for its detail page. */
  campaign: (campaignId: string) => `sidecars:campaign:${campaignId}`,
  /** A campaign touching the entity's pods changed: for the entity's Sidecars tab. */
  entity: (entityRef: string) => `sidecars:entity:${entityRef}`,
} as const;

/** The message of every campaign signal (a type alias, so that it is a JSON object to the Signals API). */
export type CampaignSignalMessage = {
  campaignId: string;
  phase: CampaignPhase;
};
