/** When restarts count as a crash loop, and how restarts are counted over the last hour and day. */

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/** Restarts within one window that make a container count as crash-looping in it. */
export const CRASH_LOOP_RESTARTS = 3;

export interface RestartFigures {
  lastHour: number;
  lastDay: number;
}

/** Restarts the watch saw at one moment (restarts seen within the same minute share a record). */
export interface RestartRecord {
  /** Epoch milliseconds. */
  at: number;
  count: number;
}

/** What is known of one container's restarts: when the watch saw them, and whether it is in CrashLoopBackOff now. */
export interface RestartHistory {
  /** Oldest first. */
  restarts: readonly RestartRecord[];
  /** The kubelet reports the container waiting in CrashLoopBackOff. */
  crashLoopingNow: boolean;
}

export const restartsWithin = (
  history: RestartHistory,
  now: number,
  windowMs: number,
): number =>
  history.restarts
    .filter(r => r.at > now - windowMs && r.at <= now)
    .reduce((sum, r) => sum + r.count, 0);

/** Whether the container crash-looped in the window: in CrashLoopBackOff now, or restarted CRASH_LOOP_RESTARTS times in it. */
export const crashLoopedWithin = (
  history: RestartHistory,
  now: number,
  windowMs: number,
): boolean =>
  history.crashLoopingNow ||
  restartsWithin(history, now, windowMs) >= CRASH_LOOP_RESTARTS;

export const restartFigures = (
  history: RestartHistory,
  now: number,
): RestartFigures => ({
  lastHour: restartsWithin(history, now, HOUR_MS),
  lastDay: restartsWithin(history, now, DAY_MS),
});
