export { CampaignPhaseStatus, phaseLabel } from './CampaignPhaseStatus';
