import { Box, Button, Typography } from '@material-ui/core';
import type { TimeRange } from './calendarRange';

const dayName = (at: number) =>
  new Date(at).toLocaleDateString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });

/** Which days are shown, and buttons to move by a range or back to today. */
export function CalendarRangeControls(props: {
  range: TimeRange;
  shift: (ranges: number) => void;
}) {
  const { range, shift } = props;
  return (
    <Box display="flex" alignItems="center" mb={2}>
      <Typography variant="subtitle1" component="h3">
        {dayName(range.from)} – {dayName(range.to - 1)}
      </Typography>
      <Box ml={2}>
        <Button size="small" onClick={() => shift(-1)}>
          Earlier
        </Button>
        <Button size="small" onClick={() => shift(0)}>
          Today
        </Button>
        <Button size="small" onClick={() => shift(1)}>
          Later
        </Button>
      </Box>
    </Box>
  );
}
