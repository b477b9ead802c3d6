import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import AddIcon from '@material-ui/icons/Add';
import type { CampaignTemplateAction } from '@internal/plugin-sidecars-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { sidecarsApiRef } from '../../api';
import { RetryableError } from '../RetryableError';
import { TemplateFormDialog } from './TemplateFormDialog';
import { TemplateRow } from './TemplateRow';

/** Recurring campaign templates (Temporal Schedules): each with its schedule, next and last run, and its controls. */
export function CampaignTemplatesView() {
  const api = useApi(sidecarsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listCampaignTemplates(),
    [api],
  );
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [creating, setCreating] = useState(false);

  const control = async (
    id: string,
    action: CampaignTemplateAction | 'delete',
  ) => {
    setBusy(id);
    setFailure(undefined);
    try {
      if (action === 'delete') await api.deleteCampaignTemplate(id);
      else await api.controlCampaignTemplate(id, action);
    } catch (e) {
      setFailure((e as Error).message);
    } finally {
      setBusy(undefined);
      retry();
    }
  };

  if (error && !value)
    return (
      <RetryableError
        title="Could not load the templates"
        error={error}
        onRetry={retry}
      />
    );
  return (
    <>
      <Box display="flex" justifyContent="flex-end" mb={1}>
        <Button
          variant="outlined"
          color="primary"
          startIcon={<AddIcon />}
          onClick={() => setCreating(true)}
        >
          New template
        </Button>
      </Box>
      {failure && <Alert severity="error">{failure}</Alert>}
      {loading && !value && <Progress />}
      {value && value.items.length === 0 && (
        <Typography color="textSecondary">
          No recurring templates yet: a template starts its campaign at each
          time of its cron schedule.
        </Typography>
      )}
      {value && value.items.length > 0 && (
        <Table size="small" aria-label="Campaign templates">
          <TableHead>
            <TableRow>
              <TableCell>Template</TableCell>
              <TableCell>Schedule</TableCell>
              <TableCell>Next run</TableCell>
              <TableCell>Last run</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {value.items.map(template => (
              <TemplateRow
                key={template.id}
                template={template}
                busy={busy === template.id}
                onControl={action => control(template.id, action)}
              />
            ))}
          </TableBody>
        </Table>
      )}
      <TemplateFormDialog
        open={creating}
        onCancel={() => setCreating(false)}
        onCreated={() => {
          setCreating(false);
          retry();
        }}
      />
    </>
  );
}
