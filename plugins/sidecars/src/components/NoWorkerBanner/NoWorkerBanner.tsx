import { Box } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { WorkerPresence } from '@internal/plugin-sidecars-common';

/** Says that no worker runs campaigns, so what is shown is what the campaigns last recorded. */
export function NoWorkerBanner(props: { worker?: WorkerPresence }) {
  if (!props.worker || props.worker.polling) return null;
  return (
    <Box mb={2}>
      <Alert severity="warning" role="status">
        No worker is running campaigns: {props.worker.message}.
      </Alert>
    </Box>
  );
}
