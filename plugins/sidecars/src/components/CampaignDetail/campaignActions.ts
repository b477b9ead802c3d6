import type { CampaignAction } from '../../api';

export interface CampaignActionInfo {
  label: string;
  /** What the action does, shown before the user confirms it. */
  effect: string;
  destructive: boolean;
}

export const CAMPAIGN_ACTIONS: Record<CampaignAction, CampaignActionInfo> = {
  approve: {
    label: 'Approve wave',
    effect:
      'The wave waiting at its gate starts: its clusters are upgraded in parallel, each within its own limits.',
    destructive: false,
  },
  pause: {
    label: 'Pause',
    effect:
      'No new pods are patched; batches already in flight finish first. Resume continues where it stopped.',
    destructive: false,
  },
  resume: {
    label: 'Resume',
    effect: 'The campaign continues with its next batch.',
    destructive: false,
  },
  rollback: {
    label: 'Roll back',
    effect:
      'Every pod this campaign upgraded gets its previous image back, in batches, within the same limits.',
    destructive: true,
  },
  abort: {
    label: 'Abort',
    effect:
      'The campaign stops for good: no more pods are patched, batches in flight finish or are rolled back, and upgraded pods keep the new image.',
    destructive: true,
  },
};

export const CAMPAIGN_ACTION_ORDER: readonly CampaignAction[] = [
  'approve',
  'pause',
  'resume',
  'rollback',
  'abort',
];
