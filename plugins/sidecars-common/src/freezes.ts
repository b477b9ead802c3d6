/**
 * A change freeze, configured under `sidecars.freezes`: while it is on, no campaign in its scope
 * starts a new batch (or rolling window). It covers the half-open interval [start, end).
 */
export interface FreezeWindow {
  name: string;
  /** ISO 8601 instant with an offset. */
  start: string;
  /** ISO 8601 instant with an offset, after `start`. */
  end: string;
  /** The clusters it covers; absent: every cluster. */
  clusters?: string[];
  /** The namespaces it covers; absent: every namespace. */
  namespaces?: string[];
}

/** A campaign's scope as its (resolved) selector gives it; an absent list means all. */
export interface FreezeScope {
  clusters?: readonly string[];
  namespaces?: readonly string[];
}

/** The freeze holding a campaign, and until when (freezes that overlap or follow each other are joined). */
export interface ActiveFreeze {
  name: string;
  /** ISO 8601: when the joined freezes end. */
  until: string;
}

/** Whether two scope lists meet; an absent list is everything. */
const meets = (
  freeze: readonly string[] | undefined,
  campaign: readonly string[] | undefined,
): boolean =>
  freeze === undefined ||
  campaign === undefined ||
  campaign.some(name => freeze.includes(name));

/**
 * The freezes that hold a campaign of this scope: a freeze holds it when its clusters and its
 * namespaces each meet the campaign's. A campaign is one sequence of batches across its scope, so
 * a freeze of any part of that scope holds all of it.
 */
export function freezesInScope(
  freezes: readonly FreezeWindow[],
  scope: FreezeScope,
): FreezeWindow[] {
  return freezes.filter(
    f =>
      meets(f.clusters, scope.clusters) &&
      meets(f.namespaces, scope.namespaces),
  );
}

/** The freeze that covers `at` and ends last, or undefined. */
function covering(
  freezes: readonly FreezeWindow[],
  at: number,
): { freeze: FreezeWindow; end: number } | undefined {
  let found: { freeze: FreezeWindow; end: number } | undefined;
  for (const freeze of freezes) {
    const start = Date.parse(freeze.start);
    const end = Date.parse(freeze.end);
    if (start <= at && at < end && (found === undefined || end > found.end))
      found = { freeze, end };
  }
  return found;
}

/**
 * The freeze in effect at `now`, or undefined. Freezes that overlap or follow one another without
 * a gap are one freeze: `until` is when the last of them ends, and `name` is that one's.
 */
export function activeFreeze(
  freezes: readonly FreezeWindow[],
  now: Date,
): ActiveFreeze | undefined {
  let current = covering(freezes, now.getTime());
  if (current === undefined) return undefined;
  // Each step moves to a freeze that ends later, so there are at most as many steps as freezes.
  for (
    let next = covering(freezes, current.end);
    next !== undefined;
    next = covering(freezes, current.end)
  )
    current = next;
  return {
    name: current.freeze.name,
    until: new Date(current.end).toISOString(),
  };
}

/** The freezes that have not ended at `from`, earliest first: those a campaign starting then may meet. */
export function upcomingFreezes(
  freezes: readonly FreezeWindow[],
  from: Date,
): FreezeWindow[] {
  return freezes
    .filter(f => Date.parse(f.end) > from.getTime())
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

/** How a freeze reads in a campaign's status, e.g. "frozen until 2026-12-24T00:00:00.000Z (year-end)". */
export const describeFreeze = (freeze: ActiveFreeze): string =>
  `frozen until ${freeze.until} (${freeze.name})`;

/**
 * Why a campaign may not be started, or undefined when it may. The rule: a campaign whose first
 * batch would be due inside a freeze (it starts now, or at `schedule.notBefore`, while a freeze
 * of its scope is on) is refused, since it could do nothing until the freeze ends; the fix is to
 * schedule it for the freeze's end. A campaign that starts before a freeze and meets it later
 * is accepted: it waits through the freeze and then resumes on its own.
 */
export function freezeRefusal(
  freezes: readonly FreezeWindow[],
  firstBatchAt: Date,
): string | undefined {
  const freeze = activeFreeze(freezes, firstBatchAt);
  if (freeze === undefined) return undefined;
  return `the campaign would start during the freeze "${freeze.name}", which lasts until ${freeze.until}, and could start no batch before then: set schedule.notBefore to ${freeze.until} or later, or wait until the freeze ends`;
}
