import { z } from 'zod';
import { isIsoInstantWithOffset } from '@internal/plugin-sidecars-common';
import type { CalendarRange } from '../campaigns/calendar';
import { parseOrThrow } from './validation';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The span shown when `to` is left out. */
export const DEFAULT_CALENDAR_DAYS = 14;
/** The longest span one answer covers, which bounds the window openings it lists. */
export const MAX_CALENDAR_DAYS = 62;

const instant = (name: 'from' | 'to') =>
  z
    .string({ error: `${name} must be given once, as an ISO 8601 instant` })
    .refine(isIsoInstantWithOffset, {
      message: `${name} must be an ISO 8601 instant with an offset, e.g. 2026-05-01T00:00:00Z`,
    })
    .optional();

const calendarQuerySchema = z.strictObject({
  from: instant('from'),
  to: instant('to'),
});

/**
 * The query of GET /calendar: `from` (now by default) and `to` (DEFAULT_CALENDAR_DAYS later by
 * default), `to` after `from` and at most MAX_CALENDAR_DAYS after it.
 */
export function parseCalendarQuery(query: unknown, now: Date): CalendarRange {
  const parsed = parseOrThrow(
    calendarQuerySchema.superRefine((value, ctx) => {
      const from = value.from ? Date.parse(value.from) : now.getTime();
      const to = value.to ? Date.parse(value.to) : undefined;
      if (to === undefined) return;
      if (to <= from)
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `to must be after from (${new Date(from).toISOString()}): set a later to, or an earlier from`,
        });
      else if (to - from > MAX_CALENDAR_DAYS * DAY_MS)
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `the range may span at most ${MAX_CALENDAR_DAYS} days: set to at most ${new Date(from + MAX_CALENDAR_DAYS * DAY_MS).toISOString()}, or ask for several ranges`,
        });
    }),
    query,
    'calendar query',
  );
  const from = parsed.from ? new Date(parsed.from) : now;
  const to = parsed.to
    ? new Date(parsed.to)
    : new Date(from.getTime() + DEFAULT_CALENDAR_DAYS * DAY_MS);
  return { from, to };
}
