export * from './activity-contract';
export * from './campaign-record';
export * from './definitions';
export * from './search-attributes';
export type { CampaignInput } from './campaign';
