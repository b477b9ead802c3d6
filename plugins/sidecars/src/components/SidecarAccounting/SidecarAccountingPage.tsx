import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  SupportButton,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Box, Grid, MenuItem, TextField } from '@material-ui/core';
import {
  ACCOUNTING_GROUP_BYS,
  type AccountingGroupBy,
} from '@internal/plugin-sidecars-common';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useSidecarAccounting } from '../../hooks/useSidecarAccounting';
import { rootRouteRef } from '../../routes';
import { FreshnessCaption } from '../FreshnessCaption';
import { PartialResultWarning } from '../PartialResultWarning';
import { RetryableError } from '../RetryableError';
import { GROUP_BY_LABELS } from './accountingFormat';
import { CostByGroupChart } from './CostByGroupChart';
import { CostByGroupTable } from './CostByGroupTable';
import { CostSummary } from './CostSummary';
import { RestartsCard } from './RestartsCard';
import { StartOrderingCard } from './StartOrderingCard';

const DEFAULT_SIDECAR = 'istio-proxy';

const isGroupBy = (value: string | null): value is AccountingGroupBy =>
  (ACCOUNTING_GROUP_BYS as readonly string[]).includes(value ?? '');

/** What one sidecar costs across the fleet and who pays for it, how often it fails, and whether apps wait for it. */
export function SidecarAccountingPage() {
  const [params] = useSearchParams();
  const campaignsLink = useRouteRef(rootRouteRef);
  const [sidecar, setSidecar] = useState(
    params.get('sidecar') ?? DEFAULT_SIDECAR,
  );
  const requested = params.get('groupBy');
  const [groupBy, setGroupBy] = useState<AccountingGroupBy>(
    isGroupBy(requested) ? requested : 'team',
  );
  const { accounting, loading, error, retry } = useSidecarAccounting(
    sidecar,
    groupBy,
  );
  const name = sidecar.trim();

  let body;
  if (!name) {
    body = (
      <EmptyState
        missing="field"
        title="Pick a sidecar"
        description="Type a sidecar container name, e.g. istio-proxy, to see what it costs and who pays."
      />
    );
  } else if (error) {
    body = (
      <RetryableError
        title={`Could not load what ${name} costs`}
        error={error}
        onRetry={retry}
      />
    );
  } else if (loading || !accounting) {
    body = <Progress />;
  } else {
    body = (
      <Grid container spacing={3}>
        {accounting.partial && (
          <Grid item xs={12}>
            <PartialResultWarning clusters={accounting.clusters} />
          </Grid>
        )}
        <Grid item xs={12}>
          <CostSummary accounting={accounting} />
          <FreshnessCaption clusters={accounting.clusters} />
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title="CPU requested" subheader="Who pays, in cores">
            <CostByGroupChart accounting={accounting} metric="cpu" />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title="Memory requested" subheader="Who pays, in GiB">
            <CostByGroupChart accounting={accounting} metric="memory" />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <CostByGroupTable accounting={accounting} />
        </Grid>
        <Grid item xs={12} md={6}>
          <RestartsCard accounting={accounting} />
        </Grid>
        <Grid item xs={12} md={6}>
          <StartOrderingCard accounting={accounting} />
        </Grid>
      </Grid>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title="Sidecar costs"
        subtitle="What a sidecar costs across the fleet, who pays, how often it fails, and whether apps wait for it"
      />
      <Content>
        <ContentHeader title={name ? `What ${name} costs` : 'Sidecar costs'}>
          <Link to={campaignsLink()}>Back to campaigns</Link>
          <SupportButton>
            Requests and limits are summed over every pod that runs the
            container; the share is of all requests of every pod in the group. A
            team is the catalog owner of the entity whose Kubernetes annotations
            select the pods.
          </SupportButton>
        </ContentHeader>
        <Box display="flex" gridGap={16} flexWrap="wrap" mb={2}>
          <TextField
            id="accounting-sidecar"
            label="Sidecar container"
            placeholder="e.g. istio-proxy"
            variant="outlined"
            margin="dense"
            value={sidecar}
            onChange={event => setSidecar(event.target.value)}
          />
          <TextField
            id="accounting-group-by"
            select
            label="Group by"
            variant="outlined"
            margin="dense"
            value={groupBy}
            onChange={event =>
              setGroupBy(event.target.value as AccountingGroupBy)
            }
          >
            {ACCOUNTING_GROUP_BYS.map(option => (
              <MenuItem key={option} value={option}>
                {GROUP_BY_LABELS[option]}
              </MenuItem>
            ))}
          </TextField>
        </Box>
        {body}
      </Content>
    </Page>
  );
}
