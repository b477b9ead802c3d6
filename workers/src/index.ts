export { createActivities, type ActivityDependencies } from './activities';
export { clustersFromEnvironment, DEFAULT_CLUSTER_NAME, type ClusterRegistry } from './kube/clusters';
export { temporalFromEnvironment, type TemporalSettings } from './temporal-connection';
export { createCampaignWorker, type CampaignWorkerOptions } from './worker';
