import { InfoCard } from '@backstage/core-components';
import { Box, Button, Link, Tooltip, Typography } from '@material-ui/core';
import OpenInNewIcon from '@material-ui/icons/OpenInNew';
import type { CampaignDetail } from '@internal/plugin-sidecars-common';
import type { CampaignAction } from '../../api';
import { phaseLabel } from '../CampaignPhaseStatus';
import { CAMPAIGN_ACTION_ORDER, CAMPAIGN_ACTIONS } from './campaignActions';

/** Approve (a campaign with waves), pause, resume, roll back and abort, each enabled only when the backend lists it in allowedActions. */
export function CampaignControls(props: {
  campaign: CampaignDetail;
  onAction: (action: CampaignAction) => void;
}) {
  const { campaign, onAction } = props;
  const unavailable = `Not available: the campaign is ${phaseLabel(campaign.phase).toLowerCase()}, or you may not control it (its component's owners and the platform team may)`;
  return (
    <InfoCard title="Controls">
      <Box display="flex" gridGap={8} flexWrap="wrap">
        {CAMPAIGN_ACTION_ORDER.filter(
          // Only a campaign with waves has gates to approve.
          action => action !== 'approve' || campaign.status.waves,
        ).map(action => {
          const allowed = campaign.allowedActions.includes(action);
          const info = CAMPAIGN_ACTIONS[action];
          return (
            <Tooltip key={action} title={allowed ? info.effect : unavailable}>
              <span>
                <Button
                  variant="outlined"
                  color={info.destructive ? 'secondary' : 'primary'}
                  disabled={!allowed}
                  onClick={() => onAction(action)}
                >
                  {info.label}
                </Button>
              </span>
            </Tooltip>
          );
        })}
      </Box>
      <Box mt={2}>
        <Typography variant="body2">
          <Link
            href={campaign.temporalUiUrl}
            target="_blank"
            rel="noopener noreferrer"
          >
            Open the workflow in Temporal Web UI{' '}
            <OpenInNewIcon fontSize="inherit" />
          </Link>
        </Typography>
      </Box>
    </InfoCard>
  );
}
