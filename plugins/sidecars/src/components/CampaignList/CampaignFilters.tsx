import { Box, MenuItem, TextField } from '@material-ui/core';
import {
  CAMPAIGN_PHASES,
  type CampaignPhase,
} from '@internal/plugin-sidecars-common';
import { phaseLabel } from '../CampaignPhaseStatus';

const ALL_PHASES = 'all';

/** Phase and container filters of the campaign list. */
export function CampaignFilters(props: {
  phase?: CampaignPhase;
  container: string;
  onPhaseChange: (phase: CampaignPhase | undefined) => void;
  onContainerChange: (container: string) => void;
}) {
  const { phase, container, onPhaseChange, onContainerChange } = props;
  return (
    <Box display="flex" gridGap={16} mb={2} flexWrap="wrap">
      <TextField
        select
        id="campaign-filter-phase"
        label="Phase"
        variant="outlined"
        margin="dense"
        style={{ minWidth: 180 }}
        value={phase ?? ALL_PHASES}
        onChange={event => {
          const selected = CAMPAIGN_PHASES.find(
            candidate => candidate === event.target.value,
          );
          onPhaseChange(selected);
        }}
      >
        <MenuItem value={ALL_PHASES}>All phases</MenuItem>
        {CAMPAIGN_PHASES.map(candidate => (
          <MenuItem key={candidate} value={candidate}>
            {phaseLabel(candidate)}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        id="campaign-filter-container"
        label="Container"
        placeholder="e.g. istio-proxy"
        variant="outlined"
        margin="dense"
        value={container}
        onChange={event => onContainerChange(event.target.value)}
      />
    </Box>
  );
}
