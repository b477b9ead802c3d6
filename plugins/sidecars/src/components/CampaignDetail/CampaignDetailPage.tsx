import {
  Content,
  ErrorPanel,
  Header,
  HeaderLabel,
  Link,
  Page,
  Progress,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { Box, Grid, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import {
  isSettledPhase,
  type CampaignPhase,
} from '@internal/plugin-sidecars-common';
import { type CampaignAction, sidecarsApiRef } from '../../api';
import { formatActor, formatTime } from '../../format';
import { useCampaignDetail } from '../../hooks/useCampaignDetail';
import { rootRouteRef } from '../../routes';
import { phaseLabel } from '../CampaignPhaseStatus';
import { NoWorkerBanner } from '../NoWorkerBanner';
import { AnalysisRunsTable } from './AnalysisRunsTable';
import { AuditTrailTable } from './AuditTrailTable';
import { BatchTimelineChart } from './BatchTimelineChart';
import { CampaignControls } from './CampaignControls';
import { CampaignCountsCard } from './CampaignCountsCard';
import { CampaignSpecCard } from './CampaignSpecCard';
import { ConfirmActionDialog } from './ConfirmActionDialog';
import { FailuresTable } from './FailuresTable';
import { WaveLanes } from './WaveLanes';

function freshnessOf(phase: CampaignPhase, live: boolean): string {
  if (isSettledPhase(phase)) return 'Final state';
  return live
    ? 'Live: updates as the campaign changes'
    : 'Live: refreshes every 2 seconds';
}

/** One campaign, live: progress, batches, failures, audit trail and controls. */
export function CampaignDetailPage() {
  const { id = '' } = useParams();
  const api = useApi(sidecarsApiRef);
  const campaignsLink = useRouteRef(rootRouteRef);
  const { campaign, error, loading, live, replace } = useCampaignDetail(id);
  const [pendingAction, setPendingAction] = useState<CampaignAction>();
  const [controlNotice, setControlNotice] = useState<string>();

  const confirmAction = async (action: CampaignAction, reason: string) => {
    const answer = await api.controlCampaign(id, action, reason);
    replace(answer);
    setControlNotice(
      answer.control.outcome === 'queued' ? answer.control.message : undefined,
    );
    setPendingAction(undefined);
  };

  const title = campaign
    ? (campaign.status.spec.name ??
      `${campaign.container} → ${campaign.targetImage}`)
    : `Campaign ${id}`;
  return (
    <Page themeId="tool">
      <Header
        title={title}
        subtitle={`Campaign ${id}`}
        type="Sidecar campaign"
        typeLink={campaignsLink()}
      >
        {campaign && (
          <>
            <HeaderLabel label="Phase" value={phaseLabel(campaign.phase)} />
            <HeaderLabel
              label="Started by"
              value={formatActor(campaign.createdBy)}
            />
            <HeaderLabel
              label="Started"
              value={formatTime(campaign.startedAt)}
            />
          </>
        )}
      </Header>
      <Content>
        <Box
          display="flex"
          justifyContent="space-between"
          alignItems="center"
          mb={2}
        >
          <Link to={campaignsLink()}>← All campaigns</Link>
          <Typography variant="caption" color="textSecondary">
            {campaign && freshnessOf(campaign.phase, live)}
          </Typography>
        </Box>
        {loading && !campaign && <Progress />}
        {error && !campaign && (
          <ErrorPanel title={`Could not load campaign ${id}`} error={error} />
        )}
        {error && campaign && (
          <Alert severity="warning">
            Refreshing failed ({error.message}); showing the state from{' '}
            {formatTime(campaign.status.updatedAt)}.
          </Alert>
        )}
        <NoWorkerBanner worker={campaign?.worker} />
        {controlNotice && (
          <Box mb={2}>
            <Alert severity="info" onClose={() => setControlNotice(undefined)}>
              {controlNotice}
            </Alert>
          </Box>
        )}
        {campaign && (
          <Grid container spacing={3}>
            <Grid item xs={12} md={8}>
              <CampaignCountsCard status={campaign.status} />
            </Grid>
            <Grid item xs={12} md={4}>
              <CampaignControls
                campaign={campaign}
                onAction={setPendingAction}
              />
            </Grid>
            {campaign.status.waves && (
              <Grid item xs={12}>
                <WaveLanes
                  waves={campaign.status.waves}
                  {...(campaign.allowedActions.includes('approve')
                    ? { onApprove: () => setPendingAction('approve') }
                    : {})}
                />
              </Grid>
            )}
            {!campaign.status.waves && (
              <Grid item xs={12}>
                <BatchTimelineChart status={campaign.status} />
              </Grid>
            )}
            {campaign.status.spec.analysis && (
              <Grid item xs={12}>
                <AnalysisRunsTable
                  analysis={campaign.status.spec.analysis}
                  runs={campaign.status.analysisRuns ?? []}
                />
              </Grid>
            )}
            <Grid item xs={12}>
              <FailuresTable failures={campaign.status.failures} />
            </Grid>
            <Grid item xs={12} md={7}>
              <AuditTrailTable events={campaign.status.events} />
            </Grid>
            <Grid item xs={12} md={5}>
              <CampaignSpecCard spec={campaign.status.spec} />
            </Grid>
          </Grid>
        )}
        <ConfirmActionDialog
          action={pendingAction}
          onCancel={() => setPendingAction(undefined)}
          onConfirm={confirmAction}
        />
      </Content>
    </Page>
  );
}
