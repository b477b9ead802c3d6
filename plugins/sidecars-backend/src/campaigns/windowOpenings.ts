import {
  windowState,
  type CalendarInterval,
  type MaintenanceWindow,
} from '@internal/plugin-sidecars-common';

/** Bounds the work for a window that opens every minute or so; such windows join into few spans anyway. */
const MAX_STEPS = 2_000;

/**
 * When the maintenance windows are open within [from, to): spans clipped to the range, joined
 * where they touch or overlap. Walks the same open/closed states the workflow acts on
 * (`windowState`), so the calendar shows the openings a campaign will use.
 */
export function windowOpenings(
  windows: readonly MaintenanceWindow[],
  from: Date,
  to: Date,
): CalendarInterval[] {
  const spans: Array<{ start: number; end: number }> = [];
  let at = from.getTime();
  for (let step = 0; step < MAX_STEPS && at < to.getTime(); step++) {
    const state = windowState(windows, new Date(at));
    if (!state.open) {
      if (state.opensAt === null) break;
      at = state.opensAt.getTime();
      continue;
    }
    const end = Math.min(
      state.closesAt?.getTime() ?? Number.POSITIVE_INFINITY,
      to.getTime(),
    );
    const last = spans.at(-1);
    if (last && last.end >= at) last.end = Math.max(last.end, end);
    else spans.push({ start: at, end });
    at = end;
  }
  return spans.map(s => ({
    start: new Date(s.start).toISOString(),
    end: new Date(s.end).toISOString(),
  }));
}
