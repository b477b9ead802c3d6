import { Dialog, DialogTitle } from '@material-ui/core';
import { CampaignForm, type CampaignFormProps } from './CampaignForm';

/** The campaign form in a dialog; its state starts fresh each time it opens. */
export function CampaignFormDialog(
  props: CampaignFormProps & { open: boolean; title: string },
) {
  const { open, title, ...formProps } = props;
  return (
    <Dialog
      open={open}
      onClose={formProps.onCancel}
      maxWidth="md"
      fullWidth
      scroll="paper"
      aria-labelledby="campaign-form-title"
    >
      <DialogTitle id="campaign-form-title">{title}</DialogTitle>
      {open && <CampaignForm {...formProps} />}
    </Dialog>
  );
}
