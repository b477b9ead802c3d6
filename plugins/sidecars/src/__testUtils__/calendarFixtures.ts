import type {
  CalendarCampaign,
  CalendarResponse,
} from '@internal/plugin-sidecars-common';
import { campaignSummary } from './fixtures';

const HOUR_MS = 60 * 60 * 1000;

/** An ISO instant `hours` from now (negative: ago). */
export const hoursFromNow = (hours: number) =>
  new Date(Date.now() + hours * HOUR_MS).toISOString();

/** A running campaign (the list's campaign-1), 4 of 10 pods done after 2 hours, due to end in 3 more. */
export function calendarCampaign(
  overrides: Partial<CalendarCampaign> = {},
): CalendarCampaign {
  const { id, phase, container, targetImage, entityRef, counts } =
    campaignSummary();
  return {
    id,
    phase,
    container,
    targetImage,
    ...(entityRef ? { entityRef } : {}),
    ...(counts ? { counts } : {}),
    startedAt: hoursFromNow(-2),
    start: hoursFromNow(-2),
    estimatedEnd: hoursFromNow(3),
    estimate:
      '4 of 10 pods done in 2 h; the rest at the same pace (waits for windows and freezes included)',
    freezes: [],
    ...overrides,
  };
}

/** The next 14 days with nothing in them. */
export function calendar(
  overrides: Partial<CalendarResponse> = {},
): CalendarResponse {
  return {
    from: hoursFromNow(0),
    to: hoursFromNow(14 * 24),
    now: hoursFromNow(0),
    freezes: [],
    campaigns: [],
    truncated: false,
    ...overrides,
  };
}
