import {
  freezeRefusal,
  freezesInScope,
  upcomingFreezes,
  type CampaignSpec,
  type FreezeWindow,
} from '@internal/plugin-sidecars-common';

export interface CampaignFreezes {
  /** The configured freezes of the campaign's scope that have not ended when its first batch is due, earliest first. */
  freezes: FreezeWindow[];
  /** Set when the campaign may not start: its first batch would fall inside one of them. */
  refusal?: string;
}

/** When the campaign's first batch is due: now, or its notBefore if later. */
function firstBatchAt(spec: CampaignSpec, now: Date): Date {
  const notBefore = spec.schedule?.notBefore;
  const at = notBefore ? Date.parse(notBefore) : Number.NaN;
  return Number.isNaN(at) || at < now.getTime() ? now : new Date(at);
}

/**
 * The freezes that will hold a campaign of this (resolved) spec, which the plan preview lists and
 * the workflow is given, and whether starting it now is refused (see `freezeRefusal`).
 */
export function campaignFreezes(
  configured: readonly FreezeWindow[],
  spec: CampaignSpec,
  now: Date,
): CampaignFreezes {
  const from = firstBatchAt(spec, now);
  const freezes = upcomingFreezes(
    freezesInScope(configured, spec.selector),
    from,
  );
  const refusal = freezeRefusal(freezes, from);
  return refusal ? { freezes, refusal } : { freezes };
}
