import { useApi } from '@backstage/core-plugin-api';
import {
  CAMPAIGN_SIGNAL_CHANNELS,
  type CalendarResponse,
} from '@internal/plugin-sidecars-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sidecarsApiRef } from '../../api';
import { useLiveRefresh } from '../../hooks/useLiveRefresh';
import type { TimeRange } from './calendarRange';

/** Without signals, how often the calendar is fetched again while it shows a campaign (its estimate moves). */
const CALENDAR_REFRESH_INTERVAL_MS = 60_000;

export interface CampaignCalendarState {
  calendar?: CalendarResponse;
  loading: boolean;
  error?: Error;
  retry: () => void;
}

/** The calendar of the range, fetched again on each campaign signal (or, without signals, polled while it shows a campaign). */
export function useCampaignCalendar(range: TimeRange): CampaignCalendarState {
  const api = useApi(sidecarsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () =>
      api.getCalendar({
        from: new Date(range.from).toISOString(),
        to: new Date(range.to).toISOString(),
      }),
    [api, range.from, range.to],
  );
  useLiveRefresh(CAMPAIGN_SIGNAL_CHANNELS.list, retry, {
    intervalMs: CALENDAR_REFRESH_INTERVAL_MS,
    enabled: (value?.campaigns.length ?? 0) > 0,
  });
  return { calendar: value, loading, error, retry };
}
