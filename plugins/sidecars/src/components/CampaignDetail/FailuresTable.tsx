import { Table, type TableColumn } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import type { FailureRecord } from '@internal/plugin-sidecars-common';
import { formatTime } from '../../format';

const columns: TableColumn<FailureRecord>[] = [
  { title: 'Pod (cluster/namespace/name)', field: 'pod' },
  { title: 'Reason', field: 'reason' },
  { title: 'When', render: failure => formatTime(failure.at) },
];

/** Pods that did not become Ready on the new image, and why. */
export function FailuresTable(props: { failures: readonly FailureRecord[] }) {
  return (
    <Table<FailureRecord>
      title={`Failures (${props.failures.length})`}
      columns={columns}
      data={[...props.failures]}
      options={{
        paging: props.failures.length > 10,
        pageSize: 10,
        search: props.failures.length > 10,
        padding: 'dense',
      }}
      emptyContent={
        <Box p={2}>
          <Typography variant="body2" color="textSecondary">
            No pod has failed so far.
          </Typography>
        </Box>
      }
    />
  );
}
