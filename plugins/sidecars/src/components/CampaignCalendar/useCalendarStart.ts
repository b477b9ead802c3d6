import { useSearchParams } from 'react-router-dom';
import { CALENDAR_DAYS, calendarRange, type TimeRange } from './calendarRange';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2099-06-01" → that local day; undefined for anything else. */
function parseDay(value: string | null): Date | undefined {
  const match = value ? DATE.exec(value) : null;
  if (!match) return undefined;
  const day = new Date(
    Number(match[1]),
    Number(match[2]) - 1,
    Number(match[3]),
  );
  return Number.isNaN(day.getTime()) ? undefined : day;
}

const dayParam = (day: Date) =>
  [
    day.getFullYear(),
    String(day.getMonth() + 1).padStart(2, '0'),
    String(day.getDate()).padStart(2, '0'),
  ].join('-');

/**
 * The range the calendar shows: CALENDAR_DAYS days from the address's `from` day (YYYY-MM-DD), or
 * from today; `shift` moves it by whole ranges (0 returns to today).
 */
export function useCalendarStart(): {
  range: TimeRange;
  shift: (ranges: number) => void;
} {
  const [params, setParams] = useSearchParams();
  const from = params.get('from');
  const range = calendarRange(parseDay(from) ?? new Date());
  const shift = (ranges: number) =>
    setParams(
      current => {
        const updated = new URLSearchParams(current);
        if (ranges === 0) updated.delete('from');
        else {
          const day = new Date(range.from);
          day.setDate(day.getDate() + ranges * CALENDAR_DAYS);
          updated.set('from', dayParam(day));
        }
        return updated;
      },
      { replace: true },
    );
  return { range, shift };
}
