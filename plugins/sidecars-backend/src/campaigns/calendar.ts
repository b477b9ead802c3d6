import {
  freezesInScope,
  type CalendarCampaign,
  type CalendarResponse,
  type CampaignPhase,
  type FreezeWindow,
} from '@internal/plugin-sidecars-common';
import { estimateEnd } from './estimatedEnd';
import type { CampaignRecord, CampaignService } from './service';
import { windowOpenings } from './windowOpenings';

/** The phases the calendar shows: those still to come or under way. */
const CALENDAR_PHASES: readonly CampaignPhase[] = [
  'Scheduled',
  'Running',
  'Paused',
  'RollingBack',
];
/** The most open campaigns one answer lists (each is read on its own, for its spec and batches). */
const MAX_CAMPAIGNS = 100;

export interface CalendarRange {
  from: Date;
  to: Date;
}

export interface CalendarSources {
  campaigns: Pick<CampaignService, 'listWatched' | 'find'>;
  freezes: readonly FreezeWindow[];
}

const meetsRange = (freeze: FreezeWindow, range: CalendarRange) =>
  Date.parse(freeze.start) < range.to.getTime() &&
  Date.parse(freeze.end) > range.from.getTime();

const latest = (...times: Array<string | undefined>): Date =>
  new Date(Math.max(...times.map(t => (t ? Date.parse(t) : 0))));

/** When its work began (its first batch) or is due to begin. */
function workStart(record: CampaignRecord, now: Date): Date {
  const { batches, spec } = record.status;
  const notBefore = spec.schedule?.notBefore;
  if (batches.length > 0)
    return new Date(Math.min(...batches.map(b => Date.parse(b.startedAt))));
  return record.summary.phase === 'Scheduled'
    ? latest(now.toISOString(), notBefore)
    : latest(record.summary.startedAt, notBefore);
}

function calendarCampaign(
  record: CampaignRecord,
  range: CalendarRange,
  freezes: readonly FreezeWindow[],
  now: Date,
): CalendarCampaign {
  const { summary, status } = record;
  const { schedule, selector } = status.spec;
  const start = workStart(record, now);
  return {
    id: summary.id,
    phase: summary.phase,
    container: summary.container,
    targetImage: summary.targetImage,
    ...(summary.entityRef ? { entityRef: summary.entityRef } : {}),
    startedAt: summary.startedAt,
    ...(schedule?.notBefore ? { notBefore: schedule.notBefore } : {}),
    start: start.toISOString(),
    ...estimateEnd(
      { phase: summary.phase, counts: status.counts, workStart: start },
      now,
    ),
    ...(schedule?.windows?.length
      ? { windows: windowOpenings(schedule.windows, range.from, range.to) }
      : {}),
    freezes: freezesInScope(freezes, selector)
      .filter(f => meetsRange(f, range))
      .map(f => f.name),
    counts: status.counts,
  };
}

/**
 * Whether the campaign has anything to show in the range: a scheduled one from its start on, one
 * under way from its start to its estimated end (or now, without one).
 */
function meetsRangeAt(
  campaign: CalendarCampaign,
  range: CalendarRange,
  now: Date,
): boolean {
  const start = Date.parse(campaign.start);
  if (start >= range.to.getTime()) return false;
  if (campaign.phase === 'Scheduled') return true;
  const end = Math.max(
    now.getTime(),
    campaign.estimatedEnd ? Date.parse(campaign.estimatedEnd) : 0,
  );
  return end >= range.from.getTime();
}

/**
 * What the campaign calendar shows in a range: the configured freezes that meet it, and each open
 * campaign still to come or under way in it, with its start, estimated end and maintenance-window
 * openings.
 */
export async function campaignCalendar(
  sources: CalendarSources,
  range: CalendarRange,
  now: Date,
): Promise<CalendarResponse> {
  const { snapshots, truncated } = await sources.campaigns.listWatched(
    0,
    MAX_CAMPAIGNS,
  );
  const shown = snapshots.filter(
    s => s.open && CALENDAR_PHASES.includes(s.summary.phase),
  );
  const records = await Promise.all(
    shown.map(s => sources.campaigns.find(s.summary.id)),
  );
  const campaigns = records
    // A campaign may have ended between the list and its read; one without a recorded spec has nothing to show.
    .filter((r): r is CampaignRecord => r !== undefined && !!r.status.spec)
    .filter(r => CALENDAR_PHASES.includes(r.summary.phase))
    .map(r => calendarCampaign(r, range, sources.freezes, now))
    .filter(c => meetsRangeAt(c, range, now))
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    now: now.toISOString(),
    freezes: sources.freezes
      .filter(f => meetsRange(f, range))
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start)),
    campaigns,
    truncated,
  };
}
