import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useApi } from '@backstage/core-plugin-api';
import type {
  CampaignSpecInput,
  CampaignTemplate,
} from '@internal/plugin-sidecars-common';
import { useState } from 'react';
import { SidecarsApiError, sidecarsApiRef } from '../../api';

const SPEC_EXAMPLE = `{
  "container": "fluent-bit",
  "targetImage": "docker.io/fluent/fluent-bit:3.1.4",
  "selector": { "clusters": ["kwok-2"], "labelSelector": "app=logs" }
}`;

/** A minimal form for a new template: name, schedule, the clusters to follow, and the spec as POST /campaigns takes it. */
export function TemplateFormDialog(props: {
  open: boolean;
  onCancel: () => void;
  onCreated: (template: CampaignTemplate) => void;
}) {
  const api = useApi(sidecarsApiRef);
  const [name, setName] = useState('');
  const [cron, setCron] = useState('0 2 * * 2');
  const [timeZone, setTimeZone] = useState('UTC');
  const [follow, setFollow] = useState('');
  const [specText, setSpecText] = useState(SPEC_EXAMPLE);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string>();

  const submit = async () => {
    setErrors({});
    setProblem(undefined);
    let spec: CampaignSpecInput;
    try {
      spec = JSON.parse(specText) as CampaignSpecInput;
    } catch (error) {
      setErrors({ spec: `not JSON: ${(error as Error).message}` });
      return;
    }
    const clusters = follow
      .split(',')
      .map(c => c.trim())
      .filter(Boolean);
    try {
      props.onCreated(
        await api.createCampaignTemplate({
          name,
          cron,
          timeZone,
          spec,
          ...(clusters.length ? { targetImageFrom: { clusters } } : {}),
        }),
      );
    } catch (error) {
      if (error instanceof SidecarsApiError && error.fields.length > 0) {
        const byInput: Record<string, string> = {};
        for (const f of error.fields) {
          const input = f.field.split('.')[0] || 'spec';
          byInput[input] = [byInput[input], `${f.field}: ${f.message}`]
            .filter(Boolean)
            .join('; ');
        }
        setErrors(byInput);
      } else setProblem((error as Error).message);
    }
  };

  const field = (
    key: string,
    label: string,
    value: string,
    set: (v: string) => void,
    helper?: string,
  ) => (
    <TextField
      id={`template-${key}`}
      label={label}
      value={value}
      onChange={e => set(e.target.value)}
      error={errors[key] !== undefined}
      helperText={errors[key] ?? helper}
      fullWidth
      margin="dense"
    />
  );

  return (
    <Dialog open={props.open} onClose={props.onCancel} fullWidth maxWidth="md">
      <DialogTitle>New recurring template</DialogTitle>
      <DialogContent>
        {problem && <Alert severity="error">{problem}</Alert>}
        {field('name', 'Name', name, setName)}
        {field(
          'cron',
          'Cron',
          cron,
          setCron,
          '5 fields: minute hour day-of-month month day-of-week',
        )}
        {field('timeZone', 'Time zone', timeZone, setTimeZone)}
        {field(
          'targetImageFrom',
          'Follow the version running in (clusters, comma-separated)',
          follow,
          setFollow,
          'Leave empty to always roll to the spec’s targetImage',
        )}
        <TextField
          id="template-spec"
          label="Campaign spec (JSON, as POST /campaigns takes it)"
          value={specText}
          onChange={e => setSpecText(e.target.value)}
          error={errors.spec !== undefined}
          helperText={errors.spec}
          fullWidth
          multiline
          minRows={8}
          margin="dense"
          inputProps={{ style: { fontFamily: 'monospace' } }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel}>Cancel</Button>
        <Button color="primary" variant="contained" onClick={submit}>
          Create template
        </Button>
      </DialogActions>
    </Dialog>
  );
}
