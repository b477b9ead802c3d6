/** How many days the calendar shows, from the start of today. */
export const CALENDAR_DAYS = 14;

/** A span of time in epoch milliseconds, [from, to). */
export interface TimeRange {
  from: number;
  to: number;
}

/** Where a span sits on the timeline, as percentages of its width. */
export interface Placement {
  left: number;
  width: number;
}

/** `days` local days from the start of the day of `now` (so today's running campaigns show from their morning). */
export function calendarRange(now: Date, days = CALENDAR_DAYS): TimeRange {
  const from = new Date(now);
  from.setHours(0, 0, 0, 0);
  const to = new Date(from);
  to.setDate(to.getDate() + days);
  return { from: from.getTime(), to: to.getTime() };
}

/** The starts of the local days in the range, each day's first instant. */
export function dayStarts(range: TimeRange): number[] {
  const days: number[] = [];
  for (
    const day = new Date(range.from);
    day.getTime() < range.to;
    day.setDate(day.getDate() + 1)
  )
    days.push(day.getTime());
  return days;
}

/** The span clipped to the range, or undefined when it lies wholly outside; an instant has width 0. */
export function placement(
  range: TimeRange,
  start: number,
  end: number,
): Placement | undefined {
  if (end < range.from || start > range.to) return undefined;
  const length = range.to - range.from;
  const left = Math.max(start, range.from);
  const right = Math.min(end, range.to);
  return {
    left: ((left - range.from) / length) * 100,
    width: ((right - left) / length) * 100,
  };
}
