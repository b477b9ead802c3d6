import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Box, Button, TableCell, TableRow, Tooltip } from '@material-ui/core';
import type {
  CampaignTemplate,
  CampaignTemplateAction,
} from '@internal/plugin-sidecars-common';
import { campaignRouteRef } from '../../routes';

const NOT_YOURS =
  'Managing a template needs what starting its campaign needs: ownership of its entity, or the sidecars.fleet.manage permission';

/** The latest run: its campaign, or why there is none. */
function LastRun({ template }: { template: CampaignTemplate }) {
  const campaignLink = useRouteRef(campaignRouteRef);
  const run = template.lastRuns[0];
  if (!run) return <>never run</>;
  const at = new Date(run.scheduledAt).toLocaleString();
  if (run.campaignId)
    return (
      <>
        {at}:{' '}
        <Link to={campaignLink({ id: run.campaignId })}>{run.campaignId}</Link>
      </>
    );
  return (
    <>
      {at}: {run.outcome}
      {run.message ? ` (${run.message})` : ''}
    </>
  );
}

/** One template: its schedule, next and last run, and its controls (disabled, with the reason, for who may not manage it). */
export function TemplateRow(props: {
  template: CampaignTemplate;
  busy: boolean;
  onControl: (action: CampaignTemplateAction | 'delete') => void;
}) {
  const { template, busy, onControl } = props;
  const disabled = busy || !template.mayManage;
  const control = (
    action: CampaignTemplateAction | 'delete',
    label: string,
  ) => (
    <Button
      size="small"
      disabled={disabled}
      onClick={() => onControl(action)}
      aria-label={`${label} ${template.name}`}
    >
      {label}
    </Button>
  );
  return (
    <TableRow>
      <TableCell>
        {template.name}
        <Box color="text.secondary" fontSize="small">
          {template.spec.container} →{' '}
          {template.targetImageFrom
            ? `the version ${template.targetImageFrom.clusters.join(', ')} run(s)`
            : template.spec.targetImage}
        </Box>
      </TableCell>
      <TableCell>
        {template.cron} ({template.timeZone})
      </TableCell>
      <TableCell>
        {template.paused
          ? 'paused'
          : template.nextRuns[0] &&
            new Date(template.nextRuns[0]).toLocaleString()}
      </TableCell>
      <TableCell>
        <LastRun template={template} />
      </TableCell>
      <TableCell>
        <Tooltip title={template.mayManage ? '' : NOT_YOURS}>
          <span>
            {template.paused
              ? control('unpause', 'Resume')
              : control('pause', 'Pause')}
            {control('trigger', 'Run now')}
            {control('delete', 'Delete')}
          </span>
        </Tooltip>
      </TableCell>
    </TableRow>
  );
}
