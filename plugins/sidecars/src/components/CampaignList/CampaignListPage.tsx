import {
  Content,
  ContentHeader,
  Header,
  Page,
  SupportButton,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Button, Grid, Tooltip } from '@material-ui/core';
import AddIcon from '@material-ui/icons/Add';
import { Link as RouterLink } from 'react-router-dom';
import { useState } from 'react';
import { useCanManageFleet } from '../../hooks/useCampaignPermissions';
import { useOpenCampaign } from '../../hooks/useOpenCampaign';
import { accountingRouteRef } from '../../routes';
import { CampaignViews } from '../CampaignCalendar';
import { CampaignFormDialog } from '../CampaignForm';
import { CampaignTemplatesView } from '../CampaignTemplates';
import { FleetDriftCard } from '../FleetDrift';
import { CampaignsTable } from './CampaignsTable';

/** The platform team's page: all campaigns, one sidecar's fleet drift, and fleet-wide campaigns. */
export function CampaignListPage() {
  const fleetPermission = useCanManageFleet();
  const openCampaign = useOpenCampaign();
  const accountingLink = useRouteRef(accountingRouteRef);
  const [driftContainer, setDriftContainer] = useState('');
  const [formContainer, setFormContainer] = useState<string>();
  const forbidden =
    'Fleet-wide campaigns need the sidecars.fleet.manage permission: ask the platform team';

  return (
    <Page themeId="tool">
      <Header
        title="Sidecar campaigns"
        subtitle="Upgrade sidecar containers across the fleet in small, watched batches"
      />
      <Content>
        <ContentHeader title="Campaigns">
          <Tooltip title={fleetPermission.allowed ? '' : forbidden}>
            <span>
              <Button
                variant="contained"
                color="primary"
                startIcon={<AddIcon />}
                disabled={!fleetPermission.allowed}
                onClick={() => setFormContainer(driftContainer.trim())}
              >
                Start campaign
              </Button>
            </span>
          </Tooltip>
          <Button
            variant="outlined"
            color="primary"
            component={RouterLink}
            to={`${accountingLink()}${driftContainer.trim() ? `?sidecar=${encodeURIComponent(driftContainer.trim())}` : ''}`}
          >
            Sidecar costs
          </Button>
          <SupportButton>
            Campaigns patch one sidecar container in batches, wait for each pod
            to be Ready, and stop or roll back when the failure budget is spent.
            Service owners start campaigns for their own component from its
            Sidecars tab.
          </SupportButton>
        </ContentHeader>
        <Grid container spacing={3} direction="column">
          <Grid item>
            <CampaignViews
              list={<CampaignsTable />}
              templates={<CampaignTemplatesView />}
            />
          </Grid>
          <Grid item>
            <FleetDriftCard
              container={driftContainer}
              onContainerChange={setDriftContainer}
              canStartCampaign={fleetPermission.allowed}
              onStartCampaign={setFormContainer}
            />
          </Grid>
        </Grid>
        <CampaignFormDialog
          open={formContainer !== undefined}
          title="Start a fleet campaign"
          prefill={{ container: formContainer ?? '' }}
          onCancel={() => setFormContainer(undefined)}
          onCreated={campaign => openCampaign(campaign.id)}
        />
      </Content>
    </Page>
  );
}
