export { CampaignTemplatesView } from './CampaignTemplatesView';
