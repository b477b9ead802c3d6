export { CampaignCalendar } from './CampaignCalendar';
export { CampaignViews } from './CampaignViews';
