export { SidecarCampaignsPage } from './SidecarCampaignsPage';
