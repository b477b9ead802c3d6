export { CampaignFormDialog } from './CampaignFormDialog';
export type { CampaignFormValues } from './formModel';
