export { sidecarsApiRef } from './SidecarsApi';
export type {
  SidecarsApi,
  CalendarQuery,
  CampaignAction,
  CampaignListQuery,
} from './SidecarsApi';
export { SidecarsClient } from './SidecarsClient';
export { SidecarsApiError } from './SidecarsApiError';
