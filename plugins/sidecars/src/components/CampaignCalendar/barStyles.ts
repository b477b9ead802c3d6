import { alpha, makeStyles } from '@material-ui/core';
import type { BarKind } from './calendarRows';

/** The look of each kind of bar, shared by the timeline and its legend. */
export const useBarStyles = makeStyles(theme => ({
  freeze: {
    backgroundColor: alpha(theme.palette.error.main, 0.25),
    backgroundImage: `repeating-linear-gradient(135deg, ${alpha(theme.palette.error.main, 0.45)} 0 4px, transparent 4px 8px)`,
    border: `1px solid ${theme.palette.error.main}`,
  },
  window: {
    backgroundColor: alpha(theme.palette.success.main, 0.35),
    border: `1px solid ${theme.palette.success.main}`,
  },
  scheduled: {
    backgroundColor: theme.palette.info.main,
  },
  progress: {
    backgroundColor: theme.palette.primary.main,
  },
  estimate: {
    backgroundColor: alpha(theme.palette.primary.main, 0.2),
    border: `1px dashed ${theme.palette.primary.main}`,
  },
  stalled: {
    backgroundColor: theme.palette.warning.main,
  },
}));

/** What each kind of bar means, for the legend. */
export const BAR_MEANINGS: Record<BarKind, string> = {
  freeze: 'Freeze: no batch starts',
  window: 'Maintenance window open',
  scheduled: 'Scheduled start',
  progress: 'Running so far',
  estimate: 'Estimated rest (at the pace so far)',
  stalled: 'Paused or rolling back',
};
