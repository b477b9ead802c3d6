import type { CampaignCounts } from '@internal/plugin-sidecars-common';

/** The counts of a running campaign with `upgraded` of `total` pods upgraded and the rest to do. */
export const progressCounts = (
  upgraded: number,
  total: number,
): CampaignCounts => ({
  total,
  upgraded,
  failed: 0,
  rolledBack: 0,
  skipped: 0,
  pending: total - upgraded,
  notStarted: 0,
});
