/**
 * Sidecar inventory, version drift and upgrade campaigns for Backstage.
 *
 * @packageDocumentation
 */
export {
  sidecarsPlugin,
  SidecarCampaignsPage,
  EntitySidecarsContent,
} from './plugin';
export { sidecarsApiRef, SidecarsClient, SidecarsApiError } from './api';
export type { SidecarsApi, CampaignAction, CampaignListQuery } from './api';
export {
  rootRouteRef as sidecarsRootRouteRef,
  campaignRouteRef as sidecarsCampaignRouteRef,
} from './routes';
