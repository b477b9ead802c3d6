import { EmptyState, Progress } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import { useState } from 'react';
import { RetryableError } from '../RetryableError';
import { CalendarLegend } from './CalendarLegend';
import { CALENDAR_DAYS, calendarRange } from './calendarRange';
import { calendarRows } from './calendarRows';
import { CampaignTimeline } from './CampaignTimeline';
import { useCampaignCalendar } from './useCampaignCalendar';

/**
 * The next CALENDAR_DAYS days of campaigns: the configured freezes, each scheduled campaign's
 * start, the maintenance windows of scheduled and running campaigns, and each running campaign
 * up to its estimated end.
 */
export function CampaignCalendar() {
  const [range] = useState(() => calendarRange(new Date()));
  const { calendar, loading, error, retry } = useCampaignCalendar(range);

  if (error && !calendar)
    return (
      <RetryableError
        title="Could not load the campaign calendar"
        error={error}
        onRetry={retry}
      />
    );
  if (!calendar) return loading ? <Progress /> : null;
  const rows = calendarRows(calendar);
  if (rows.length === 0)
    return (
      <EmptyState
        missing="data"
        title={`Nothing planned for the next ${CALENDAR_DAYS} days`}
        description="No campaign is scheduled, running, paused or rolling back, and no configured freeze falls in these days. A campaign started with schedule.notBefore shows here until it starts, and a running one up to its estimated end; freezes come from sidecars.freezes in app-config.yaml."
      />
    );
  return (
    <Box>
      <CalendarLegend />
      <CampaignTimeline
        rows={rows}
        range={range}
        now={Date.parse(calendar.now)}
      />
      {calendar.truncated && (
        <Typography variant="caption" color="textSecondary">
          More campaigns are open than the calendar lists: narrow the list with
          its filters to find the others.
        </Typography>
      )}
    </Box>
  );
}
