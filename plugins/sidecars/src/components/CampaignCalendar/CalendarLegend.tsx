import { Box, Typography } from '@material-ui/core';
import { BAR_MEANINGS, useBarStyles } from './barStyles';
import type { BarKind } from './calendarRows';

/** The key to the timeline's bars. */
export function CalendarLegend() {
  const classes = useBarStyles();
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      component="ul"
      aria-label="Legend"
      p={0}
      m={0}
    >
      {(Object.keys(BAR_MEANINGS) as BarKind[]).map(kind => (
        <Box
          key={kind}
          component="li"
          display="flex"
          alignItems="center"
          mr={3}
          mb={1}
          style={{ listStyle: 'none' }}
        >
          <Box
            className={classes[kind]}
            width={kind === 'scheduled' ? 6 : 24}
            height={12}
            mr={1}
            borderRadius={2}
          />
          <Typography variant="caption">{BAR_MEANINGS[kind]}</Typography>
        </Box>
      ))}
    </Box>
  );
}
