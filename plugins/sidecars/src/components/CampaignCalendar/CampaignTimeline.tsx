import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Box, Tooltip, Typography, makeStyles } from '@material-ui/core';
import { Link as RouterLink } from 'react-router-dom';
import { campaignRouteRef } from '../../routes';
import { useBarStyles } from './barStyles';
import { dayStarts, placement, type TimeRange } from './calendarRange';
import type { TimelineBar, TimelineRow } from './calendarRows';

const LABEL_WIDTH_PX = 280;
const ROW_HEIGHT_PX = 44;
/** So that an instant (a scheduled start) or a short window stays visible and hoverable. */
const MIN_BAR_WIDTH_PX = 6;

const useStyles = makeStyles(theme => ({
  grid: {
    display: 'grid',
    gridTemplateColumns: `${LABEL_WIDTH_PX}px 1fr`,
    alignItems: 'stretch',
  },
  label: {
    padding: theme.spacing(0.5, 1, 0.5, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
    overflow: 'hidden',
    minHeight: ROW_HEIGHT_PX,
  },
  track: {
    position: 'relative',
    borderBottom: `1px solid ${theme.palette.divider}`,
    minHeight: ROW_HEIGHT_PX,
  },
  header: {
    position: 'relative',
    height: 24,
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  day: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    borderLeft: `1px solid ${theme.palette.divider}`,
  },
  dayLabel: {
    position: 'absolute',
    top: 2,
    paddingLeft: 4,
    whiteSpace: 'nowrap',
    color: theme.palette.text.secondary,
  },
  now: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    width: 2,
    marginLeft: -1,
    backgroundColor: theme.palette.secondary.main,
    zIndex: 2,
  },
  nowLabel: {
    position: 'absolute',
    top: 2,
    transform: 'translateX(-50%)',
    padding: '0 4px',
    borderRadius: 2,
    backgroundColor: theme.palette.secondary.main,
    color: theme.palette.secondary.contrastText,
    zIndex: 2,
  },
  bar: {
    position: 'absolute',
    top: 12,
    height: ROW_HEIGHT_PX - 24,
    minWidth: MIN_BAR_WIDTH_PX,
    borderRadius: 3,
    boxSizing: 'border-box',
    display: 'block',
    zIndex: 1,
  },
}));

/** "Mon 1": the range above the timeline names the months. */
const dayName = (day: number) =>
  new Date(day).toLocaleDateString(undefined, {
    weekday: 'short',
    day: 'numeric',
  });

function Bar(props: { bar: TimelineBar; range: TimeRange; href?: string }) {
  const { bar, range, href } = props;
  const classes = useStyles();
  const kinds = useBarStyles();
  const at = placement(range, bar.start, bar.end);
  if (!at) return null;
  const style = {
    left: `${at.left}%`,
    width: `${at.width}%`,
    // An instant is centred on its moment.
    ...(bar.start === bar.end ? { marginLeft: -MIN_BAR_WIDTH_PX / 2 } : {}),
  };
  const className = `${classes.bar} ${kinds[bar.kind]}`;
  return (
    <Tooltip title={bar.label}>
      {href ? (
        <RouterLink
          to={href}
          className={className}
          style={style}
          aria-label={bar.label}
        />
      ) : (
        <span
          role="img"
          className={className}
          style={style}
          aria-label={bar.label}
        />
      )}
    </Tooltip>
  );
}

/**
 * The calendar's rows on a shared time axis: one column of names, one of tracks with a line per
 * day and a "now" marker; bars are placed by percentage of the range and clipped to it.
 */
export function CampaignTimeline(props: {
  rows: TimelineRow[];
  range: TimeRange;
  now: number;
}) {
  const { rows, range, now } = props;
  const classes = useStyles();
  const campaignLink = useRouteRef(campaignRouteRef);
  const days = dayStarts(range);
  const nowAt = placement(range, now, now);
  const dayLines = days.map(day => (
    <div
      key={day}
      className={classes.day}
      style={{ left: `${placement(range, day, day)?.left ?? 0}%` }}
    />
  ));
  const nowLine = nowAt && (
    <div className={classes.now} style={{ left: `${nowAt.left}%` }} />
  );

  return (
    <div className={classes.grid} role="list" aria-label="Campaign timeline">
      <div />
      <div className={classes.header}>
        {days.map(day => (
          <Typography
            key={day}
            variant="caption"
            className={classes.dayLabel}
            style={{ left: `${placement(range, day, day)?.left ?? 0}%` }}
          >
            {dayName(day)}
          </Typography>
        ))}
        {nowAt && (
          <Typography
            variant="caption"
            className={classes.nowLabel}
            style={{ left: `${nowAt.left}%` }}
          >
            now
          </Typography>
        )}
      </div>
      {rows.map(row => {
        const href = row.campaignId
          ? campaignLink({ id: row.campaignId })
          : undefined;
        return (
          <Box key={row.key} display="contents" role="listitem">
            <div className={classes.label}>
              <Typography variant="body2" noWrap title={row.title}>
                {href && row.kind === 'campaign' ? (
                  <Link to={href}>{row.title}</Link>
                ) : (
                  row.title
                )}
              </Typography>
              <Typography
                variant="caption"
                color="textSecondary"
                display="block"
                noWrap
                title={row.subtitle}
              >
                {row.subtitle}
              </Typography>
              {row.note && (
                <Typography
                  variant="caption"
                  color="textSecondary"
                  display="block"
                >
                  {row.note}
                </Typography>
              )}
            </div>
            <div className={classes.track} aria-label={row.title}>
              {dayLines}
              {nowLine}
              {row.bars.map(bar => (
                <Bar
                  key={`${bar.kind}:${bar.start}`}
                  bar={bar}
                  range={range}
                  href={href}
                />
              ))}
            </div>
          </Box>
        );
      })}
    </div>
  );
}
