import { Table, type TableColumn } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import type { CampaignEvent } from '@internal/plugin-sidecars-common';
import { formatActor, formatTime } from '../../format';

const columns: TableColumn<CampaignEvent>[] = [
  { title: 'When', render: event => formatTime(event.at) },
  { title: 'Who', render: event => formatActor(event.by) },
  { title: 'Event', field: 'type' },
  { title: 'Message', field: 'message' },
];

/** What happened to the campaign and who did it, newest first. */
export function AuditTrailTable(props: { events: readonly CampaignEvent[] }) {
  const newestFirst = [...props.events].sort(
    (a, b) => Date.parse(b.at) - Date.parse(a.at),
  );
  return (
    <Table<CampaignEvent>
      title="Audit trail"
      columns={columns}
      data={newestFirst}
      options={{
        paging: newestFirst.length > 20,
        pageSize: 20,
        search: false,
        padding: 'dense',
      }}
      emptyContent={
        <Box p={2}>
          <Typography variant="body2" color="textSecondary">
            No events recorded yet.
          </Typography>
        </Box>
      }
    />
  );
}
