export { createActivities, type ActivityDependencies } from './activities';
export { clustersFromEnvironment, kubeConfigFor, DEFAULT_CLUSTER_NAME, type ClusterConnection, type ClusterRegistry } from './kube/clusters';
export { temporalFromEnvironment, type TemporalSettings } from './temporal-connection';
export { createCampaignWorker, type CampaignWorkerOptions } from './worker';
