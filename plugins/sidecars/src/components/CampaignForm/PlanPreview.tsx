import { Box, Tooltip, Typography, makeStyles } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type {
  FreezeWindow,
  PlanResponse,
} from '@internal/plugin-sidecars-common';
import { describeAnalysis } from '../../analysisWords';
import { formatTime, pluralize } from '../../format';
import { WavePlanPreview } from './WavePlanPreview';

const MAX_PODS_IN_TOOLTIP = 12;

const useStyles = makeStyles(theme => ({
  strip: {
    display: 'flex',
    gap: theme.spacing(0.5),
    listStyle: 'none',
    padding: 0,
    margin: theme.spacing(1, 0),
    flexWrap: 'wrap',
  },
  batch: {
    minWidth: theme.spacing(5),
    padding: theme.spacing(0.5, 1),
    borderRadius: theme.shape.borderRadius,
    background: theme.palette.primary.main,
    color: theme.palette.primary.contrastText,
    textAlign: 'center',
    fontSize: theme.typography.caption.fontSize,
  },
  canary: {
    background: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
}));

function batchTooltip(pods: readonly string[]): string {
  const shown = pods.slice(0, MAX_PODS_IN_TOOLTIP).join('\n');
  return pods.length > MAX_PODS_IN_TOOLTIP
    ? `${shown}\n… and ${pods.length - MAX_PODS_IN_TOOLTIP} more`
    : shown;
}

function freezeScope(freeze: FreezeWindow): string {
  const parts = [
    freeze.clusters && `clusters ${freeze.clusters.join(', ')}`,
    freeze.namespaces && `namespaces ${freeze.namespaces.join(', ')}`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : 'the whole fleet';
}

/** The configured freezes that will hold the campaign: no batch starts while one is on. */
function FreezeList(props: { freezes: readonly FreezeWindow[] }) {
  if (props.freezes.length === 0) return null;
  return (
    <Box mt={1} aria-label="Freezes">
      <Typography variant="body2">
        No batch starts during{' '}
        {props.freezes.length === 1 ? 'this freeze' : 'these freezes'}; the
        campaign waits and resumes on its own when it ends:
      </Typography>
      <ul>
        {props.freezes.map(freeze => (
          <li key={freeze.name}>
            <Typography variant="body2">
              {freeze.name}: {formatTime(freeze.start)} –{' '}
              {formatTime(freeze.end)} ({freezeScope(freeze)})
            </Typography>
          </li>
        ))}
      </ul>
    </Box>
  );
}

/** The batches in order, widths proportional to their sizes, each with its pods on hover. */
function BatchStrip(props: { batches: PlanResponse['batches'] }) {
  const classes = useStyles();
  return (
    <ol className={classes.strip} aria-label="Planned batches">
      {props.batches.map((batch, position) => (
        <Tooltip
          key={batch.index}
          title={
            <span style={{ whiteSpace: 'pre-line' }}>
              {batchTooltip(batch.pods)}
            </span>
          }
        >
          <li
            className={`${classes.batch} ${batch.canary ? classes.canary : ''}`}
            style={{ flexGrow: batch.pods.length }}
            aria-label={`Batch ${position + 1}: ${pluralize(batch.pods.length, 'pod')}`}
          >
            {batch.pods.length}
          </li>
        </Tooltip>
      ))}
    </ol>
  );
}

function batchSummary(plan: PlanResponse, hasCanary: boolean): string {
  const canary = hasCanary
    ? `; batch 1 is the canary and ${plan.spec.strategy.canary?.then === 'pause' ? 'waits for a resume' : 'bakes before the rest'}`
    : '';
  return `${pluralize(plan.totalPods, 'pod')} in ${pluralize(plan.batches.length, 'batch', 'batches')}, at most ${pluralize(plan.maxUnavailable, 'pod')} unavailable at a time${canary}`;
}

/** The dry run before anything starts: its batches drawn in order, or its waves by cluster. */
export function PlanPreview(props: { plan: PlanResponse }) {
  const { plan } = props;
  const hasCanary = plan.batches.some(batch => batch.canary);
  const skippedByReason = new Map<string, number>();
  for (const skip of plan.skipped)
    skippedByReason.set(
      skip.reason,
      (skippedByReason.get(skip.reason) ?? 0) + 1,
    );

  return (
    <Box mt={2}>
      <Typography variant="h6">Plan preview</Typography>
      {plan.batches.length === 0 ? (
        <Alert severity="info">
          No pod would be upgraded: no pod in the selection runs this container
          on another image. Check the container name and the selection, or see
          the skipped pods below.
        </Alert>
      ) : (
        <>
          <Typography variant="body2">
            {plan.waves
              ? `${pluralize(plan.totalPods, 'pod')} in ${pluralize(plan.waves.length, 'wave')}: the clusters of a wave are upgraded in parallel, each in batches of its own`
              : batchSummary(plan, hasCanary)}
            .
          </Typography>
          <Typography variant="body2">
            {plan.spec.strategy.pacing === 'rolling'
              ? `Rolling pacing: a new pod starts as soon as one finishes${hasCanary ? ' (after the canary batch)' : ''}.`
              : 'Batches: each batch waits for its slowest pod before the next starts.'}
          </Typography>
        </>
      )}
      {plan.waves ? (
        <WavePlanPreview waves={plan.waves} />
      ) : (
        plan.batches.length > 0 && <BatchStrip batches={plan.batches} />
      )}
      {plan.spec.mode === 'to-native' && (
        <Typography variant="body2">
          Each planned Deployment&apos;s {plan.spec.container} moves into its
          initContainers with restartPolicy: Always, running{' '}
          {plan.spec.targetImage}, and the Deployment&apos;s rollout replaces
          its pods. A rollback restores the exact previous pod template.
        </Typography>
      )}
      {plan.spec.analysis && (
        <Typography variant="body2">
          Metric gates after each{' '}
          {plan.spec.strategy.pacing === 'rolling'
            ? 'window of batches'
            : 'batch'}
          , during its bake: {describeAnalysis(plan.spec.analysis)}. A failed
          analysis counts against the failure budget; an inconclusive one pauses
          the campaign.
        </Typography>
      )}
      <FreezeList freezes={plan.freezes} />
      {plan.partitioned.length > 0 && (
        <Typography variant="body2" color="textSecondary">
          {pluralize(plan.partitioned.length, 'pod')} stay on their current
          image (partition).
        </Typography>
      )}
      {[...skippedByReason].map(([reason, count]) => (
        <Typography key={reason} variant="body2" color="textSecondary">
          {pluralize(count, 'pod')} skipped: {reason}
        </Typography>
      ))}
      {plan.warnings.map(warning => (
        <Alert key={warning} severity="warning">
          {warning}
        </Alert>
      ))}
    </Box>
  );
}
