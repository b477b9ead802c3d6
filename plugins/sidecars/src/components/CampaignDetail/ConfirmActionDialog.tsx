import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useState } from 'react';
import type { CampaignAction } from '../../api';
import { CAMPAIGN_ACTIONS } from './campaignActions';

/** Asks for confirmation and an optional reason, which goes into the campaign's audit trail. */
export function ConfirmActionDialog(props: {
  action?: CampaignAction;
  onCancel: () => void;
  onConfirm: (action: CampaignAction, reason: string) => Promise<void>;
}) {
  const { action, onCancel, onConfirm } = props;
  const [reason, setReason] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<Error>();
  const info = action && CAMPAIGN_ACTIONS[action];

  const close = () => {
    setReason('');
    setError(undefined);
    onCancel();
  };
  const confirm = async () => {
    if (!action) return;
    setSending(true);
    setError(undefined);
    try {
      await onConfirm(action, reason);
      setReason('');
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error(String(caught)));
    } finally {
      setSending(false);
    }
  };

  return (
    <Dialog
      open={action !== undefined}
      onClose={close}
      maxWidth="sm"
      fullWidth
      aria-labelledby="confirm-action-title"
    >
      <DialogTitle id="confirm-action-title">
        {info ? `${info.label} this campaign?` : ''}
      </DialogTitle>
      <DialogContent>
        <DialogContentText>{info?.effect}</DialogContentText>
        {error && (
          <Alert severity="error" role="alert">
            {error.message}
          </Alert>
        )}
        <TextField
          id="campaign-action-reason"
          label="Reason (optional)"
          helperText="Recorded in the audit trail with your name, e.g. “error rate up in prod-eu-1”"
          fullWidth
          multiline
          variant="outlined"
          margin="normal"
          value={reason}
          onChange={event => setReason(event.target.value)}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>Cancel</Button>
        <Button
          variant="contained"
          color={info?.destructive ? 'secondary' : 'primary'}
          disabled={sending}
          onClick={confirm}
        >
          {sending ? 'Sending…' : info?.label}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
