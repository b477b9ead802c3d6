import { EmptyState, Progress } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import { RetryableError } from '../RetryableError';
import { CalendarLegend } from './CalendarLegend';
import { CalendarRangeControls } from './CalendarRangeControls';
import { CALENDAR_DAYS, type TimeRange } from './calendarRange';
import { calendarRows } from './calendarRows';
import { CampaignTimeline } from './CampaignTimeline';
import { useCalendarStart } from './useCalendarStart';
import { useCampaignCalendar } from './useCampaignCalendar';

/**
 * CALENDAR_DAYS days of campaigns, from today or the address's `from` day: the configured
 * freezes, each scheduled campaign's start, the maintenance windows of scheduled and running
 * campaigns, and each running campaign up to its estimated end.
 */
export function CampaignCalendar() {
  const { range, shift } = useCalendarStart();
  return (
    <>
      <CalendarRangeControls range={range} shift={shift} />
      <CalendarBody range={range} />
    </>
  );
}

function CalendarBody(props: { range: TimeRange }) {
  const { range } = props;
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
        title={`Nothing planned for these ${CALENDAR_DAYS} days`}
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
