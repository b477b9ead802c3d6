import type { CampaignPhase } from '@internal/plugin-sidecars-common';

const SETTLED_PHASES: ReadonlySet<CampaignPhase> = new Set(['Completed', 'RolledBack', 'Failed', 'Aborted']);

/** A settled campaign changes no more pods by itself, so its page need not refresh. */
export function isSettled(phase: CampaignPhase): boolean {
  return SETTLED_PHASES.has(phase);
}

