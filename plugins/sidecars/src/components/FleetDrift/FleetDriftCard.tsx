import {
  EmptyState,
  ErrorPanel,
  InfoCard,
  Progress,
} from '@backstage/core-components';
import { Box, Button, TextField, Typography } from '@material-ui/core';
import type { FleetResponse } from '@internal/plugin-sidecars-common';
import { pluralize } from '../../format';
import { useFleet } from '../../hooks/useFleet';
import { FreshnessCaption } from '../FreshnessCaption';
import { PartialResultWarning } from '../PartialResultWarning';
import { FleetVersionChart } from './FleetVersionChart';

function newestShare(fleet: FleetResponse): string {
  const total = fleet.versions.reduce((sum, version) => sum + version.pods, 0);
  const newest = fleet.versions.find(
    version => version.version === fleet.newestVersion,
  );
  if (!newest || total === 0)
    return `${pluralize(fleet.versions.length, 'version')} running.`;
  return `${pluralize(fleet.versions.length, 'version')} running; the newest, ${newest.version}, on ${newest.pods} of ${total} pods (${Math.round((newest.pods / total) * 100)}%).`;
}

/** The versions of one sidecar across the fleet, by cluster and namespace, with a way to start closing the gap. */
export function FleetDriftCard(props: {
  container: string;
  onContainerChange: (container: string) => void;
  canStartCampaign: boolean;
  onStartCampaign: (container: string) => void;
}) {
  const { container, onContainerChange, canStartCampaign, onStartCampaign } =
    props;
  const { fleet, loading, error } = useFleet(container);
  const name = container.trim();

  let body;
  if (!name) {
    body = (
      <EmptyState
        missing="field"
        title="Pick a sidecar"
        description="Type a sidecar container name, e.g. istio-proxy, to see which versions run in each cluster and namespace."
      />
    );
  } else if (error) {
    body = (
      <ErrorPanel
        title={`Could not load the fleet's ${name} versions`}
        error={error}
      />
    );
  } else if (loading || !fleet) {
    body = <Progress />;
  } else if (fleet.rows.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title={`No pod runs a container named ${fleet.container}`}
        description="Check the spelling: use the container name exactly as in the pod spec."
      />
    );
  } else {
    body = (
      <>
        <Typography variant="body2" gutterBottom>
          {newestShare(fleet)}
        </Typography>
        <FleetVersionChart fleet={fleet} />
        <FreshnessCaption clusters={fleet.clusters} />
      </>
    );
  }

  return (
    <InfoCard
      title="Fleet drift"
      subheader="Versions of one sidecar by cluster and namespace"
    >
      <Box
        display="flex"
        alignItems="center"
        gridGap={16}
        flexWrap="wrap"
        mb={2}
      >
        <TextField
          id="fleet-drift-container"
          label="Sidecar container"
          placeholder="e.g. istio-proxy"
          variant="outlined"
          margin="dense"
          value={container}
          onChange={event => onContainerChange(event.target.value)}
        />
        <Button
          variant="outlined"
          color="primary"
          disabled={!canStartCampaign || !name}
          title={
            canStartCampaign
              ? undefined
              : 'Fleet-wide campaigns need the sidecars.fleet.manage permission'
          }
          onClick={() => onStartCampaign(name)}
        >
          Upgrade {name || 'this sidecar'} fleet-wide
        </Button>
      </Box>
      {fleet?.partial && <PartialResultWarning clusters={fleet.clusters} />}
      {body}
    </InfoCard>
  );
}
