import {
  freezeRefusal,
  freezesInScope,
  laneSpecOf,
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
  const inScopeOf = (selectors: ReadonlyArray<CampaignSpec['selector']>) =>
    upcomingFreezes(
      configured.filter(freeze =>
        selectors.some(s => freezesInScope([freeze], s).length > 0),
      ),
      from,
    );
  // With waves, the campaign meets the freezes of every wave's clusters; the first wave's decide whether it may start.
  const [first, ...later] = (spec.waves ?? []).map(wave =>
    wave.clusters.map(cluster => laneSpecOf(spec, wave, cluster).selector),
  );
  const freezes = inScopeOf(first ? [first, ...later].flat() : [spec.selector]);
  const refusal = freezeRefusal(first ? inScopeOf(first) : freezes, from);
  return refusal ? { freezes, refusal } : { freezes };
}
