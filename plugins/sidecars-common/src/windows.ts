import { latestCronOccurrence, nextCronOccurrence } from './cron';

/**
 * Opens at each occurrence of `cron` (5 fields, wall-clock time in `timeZone`) for `durationMinutes`
 * of elapsed time. A fixed opening time that a daylight-saving change skips opens at the end of the
 * gap; one that occurs twice opens once.
 */
export interface MaintenanceWindow {
  cron: string;
  durationMinutes: number;
  timeZone: string;
}

/**
 * `closesAt` is null when there are no windows (always open). When openings follow each other
 * without a gap, only a bounded number are joined, so `closesAt` is then the earliest moment the
 * state must be checked again rather than a true close.
 * `opensAt` is null when no window ever opens again.
 */
export type WindowState =
  { open: true; closesAt: Date | null } | { open: false; opensAt: Date | null };

const MAX_JOINED_OPENINGS = 100;
const MS_PER_MINUTE = 60_000;

/** When the opening that contains `at` ends (the latest end if several overlap), or null when all windows are closed at `at`. */
function currentOpeningEnd(
  windows: readonly MaintenanceWindow[],
  at: Date,
): Date | null {
  let end: number | null = null;
  for (const window of windows) {
    const durationMs = window.durationMinutes * MS_PER_MINUTE;
    const start = latestCronOccurrence(window.cron, window.timeZone, at);
    if (start === null) continue;
    const windowEnd = start.getTime() + durationMs;
    if (windowEnd <= at.getTime()) continue;
    if (end === null || windowEnd > end) end = windowEnd;
  }
  return end === null ? null : new Date(end);
}

export function windowState(
  windows: readonly MaintenanceWindow[],
  now: Date,
): WindowState {
  if (windows.length === 0) return { open: true, closesAt: null };

  let closesAt = currentOpeningEnd(windows, now);
  if (closesAt !== null) {
    // Openings are half-open intervals: one that starts exactly when another ends continues it.
    for (let joined = 0; joined < MAX_JOINED_OPENINGS; joined++) {
      const extended = currentOpeningEnd(windows, closesAt);
      if (extended === null) break;
      closesAt = extended;
    }
    return { open: true, closesAt };
  }

  let opensAt: Date | null = null;
  for (const window of windows) {
    const next = nextCronOccurrence(window.cron, window.timeZone, now);
    if (
      next !== null &&
      (opensAt === null || next.getTime() < opensAt.getTime())
    )
      opensAt = next;
  }
  return { open: false, opensAt };
}

export function isWithinWindows(
  windows: readonly MaintenanceWindow[],
  now: Date,
): boolean {
  return windowState(windows, now).open;
}
