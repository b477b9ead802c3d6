import { Cron } from 'croner';

const FIELD_NAMES = 'minute hour day-of-month month day-of-week';
// Any fixed instant works: it only proves that the expression fires at all.
const PROBE_DATE = new Date(Date.UTC(2000, 0, 1));

/**
 * Times are wall-clock times in `timeZone`. Across daylight-saving changes croner follows Vixie
 * cron: a fixed time that falls in a gap fires at the end of the gap, one that occurs twice fires
 * once; wildcard and step times skip the gap and fire in both passes.
 */
function schedule(expression: string, timeZone: string): Cron {
  return new Cron(expression, {
    timezone: timeZone,
    mode: '5-part',
    fixedTimeRule: 'no-wildcard',
    paused: true,
  });
}

/** Why a 5-field cron expression is unusable, or null when it is fine. */
export function describeCronProblem(expression: string): string | null {
  const fields = expression
    .trim()
    .split(/\s+/)
    .filter(field => field !== '');
  if (fields.length !== 5)
    return `it has ${fields.length} ${fields.length === 1 ? 'field' : 'fields'} but needs exactly 5 (${FIELD_NAMES})`;
  try {
    return schedule(expression, 'UTC').nextRun(PROBE_DATE) === null
      ? 'it names a date that never occurs'
      : null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.replace(/^CronPattern: /, '').replace(/\.+$/, '');
  }
}

/** The first occurrence strictly after `after`, or null when there is none (or the expression is invalid). */
export function nextCronOccurrence(
  expression: string,
  timeZone: string,
  after: Date,
): Date | null {
  try {
    return schedule(expression, timeZone).nextRun(after);
  } catch {
    return null;
  }
}

/** The last occurrence at or before `atOrBefore`, or null. */
export function latestCronOccurrence(
  expression: string,
  timeZone: string,
  atOrBefore: Date,
): Date | null {
  try {
    // previousRuns looks strictly before its reference; 1 ms later includes `atOrBefore` itself.
    return (
      schedule(expression, timeZone).previousRuns(
        1,
        new Date(atOrBefore.getTime() + 1),
      )[0] ?? null
    );
  } catch {
    return null;
  }
}
