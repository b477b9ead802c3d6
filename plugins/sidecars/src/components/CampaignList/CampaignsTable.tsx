import {
  EmptyState,
  Link,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Box, Button, Typography } from '@material-ui/core';
import type {
  CampaignPhase,
  CampaignSummary,
} from '@internal/plugin-sidecars-common';
import { useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { formatActor, formatTime } from '../../format';
import { useCampaignList } from '../../hooks/useCampaignList';
import { campaignRouteRef } from '../../routes';
import { CampaignPhaseStatus } from '../CampaignPhaseStatus';
import { CampaignProgress } from '../CampaignProgress';
import { RetryableError } from '../RetryableError';
import { CampaignFilters } from './CampaignFilters';
import { NoWorkerBanner } from '../NoWorkerBanner';

const TYPING_PAUSE_MS = 400;

/** Every campaign with its phase and progress, filtered by phase and container, newest first as the API returns them. */
export function CampaignsTable() {
  const campaignLink = useRouteRef(campaignRouteRef);
  const [phase, setPhase] = useState<CampaignPhase>();
  const [containerInput, setContainerInput] = useState('');
  const [container, setContainer] = useState('');
  useDebounce(() => setContainer(containerInput.trim()), TYPING_PAUSE_MS, [
    containerInput,
  ]);
  const list = useCampaignList({ phase, container: container || undefined });
  const filtered = phase !== undefined || container !== '';

  const columns: TableColumn<CampaignSummary>[] = [
    {
      title: 'Campaign',
      render: campaign => (
        <>
          <Link to={campaignLink({ id: campaign.id })}>
            {campaign.container} → {campaign.targetImage}
          </Link>
          <Typography variant="caption" display="block" color="textSecondary">
            {campaign.entityRef ?? 'Fleet selection'}
          </Typography>
        </>
      ),
    },
    {
      title: 'Phase',
      render: campaign => <CampaignPhaseStatus phase={campaign.phase} />,
    },
    {
      title: 'Progress',
      render: campaign => <CampaignProgress counts={campaign.counts} />,
    },
    {
      title: 'Started by',
      render: campaign => formatActor(campaign.createdBy),
    },
    { title: 'Started', render: campaign => formatTime(campaign.startedAt) },
  ];

  return (
    <>
      <CampaignFilters
        phase={phase}
        container={containerInput}
        onPhaseChange={setPhase}
        onContainerChange={setContainerInput}
      />
      <NoWorkerBanner worker={list.worker} />
      {list.error ? (
        <RetryableError
          title="Could not load campaigns"
          error={list.error}
          onRetry={list.reload}
        />
      ) : (
        <Table<CampaignSummary>
          title="Campaigns"
          isLoading={list.loading && list.items.length === 0}
          columns={columns}
          data={list.items}
          options={{ paging: false, search: false, padding: 'dense' }}
          emptyContent={
            <Box p={2}>
              <EmptyState
                missing={filtered ? 'data' : 'content'}
                title={
                  filtered
                    ? 'No campaign matches these filters'
                    : 'No campaigns yet'
                }
                description={
                  filtered
                    ? 'Clear the phase or container filter to see more campaigns.'
                    : 'Start one with "Start campaign" above, or from the Sidecars tab of a component.'
                }
              />
            </Box>
          }
        />
      )}
      {list.hasMore && (
        <Box mt={1} textAlign="center">
          <Button
            variant="outlined"
            disabled={list.loading}
            onClick={list.loadMore}
          >
            {list.loading ? 'Loading…' : 'Load more campaigns'}
          </Button>
        </Box>
      )}
    </>
  );
}
