import { ErrorPanel } from '@backstage/core-components';
import { Box, Button } from '@material-ui/core';

/** Backstage's error panel with a Retry button that stays visible outside the panel's collapsed details. */
export function RetryableError(props: {
  title: string;
  error: Error;
  onRetry: () => void;
}) {
  return (
    <Box>
      <ErrorPanel title={props.title} error={props.error} />
      <Box mt={1}>
        <Button variant="outlined" onClick={props.onRetry}>
          Retry
        </Button>
      </Box>
    </Box>
  );
}
