export { createActivities, type ActivityDependencies } from './activities';
export {
  clustersFromEnvironment,
  DEFAULT_CLUSTER_NAME,
  type ClusterRegistry,
} from './kube/clusters';
export {
  temporalFromEnvironment,
  type TemporalSettings,
} from './temporal-connection';
export { createCampaignWorker, type CampaignWorkerOptions } from './worker';
export {
  prometheusFromEnvironment,
  type PrometheusSettings,
} from './prometheus';
export { CAMPAIGN_METRICS } from './campaign-metrics';
export { DEFAULT_WORKER_PORTS, type WorkerPorts } from './telemetry';
export { ensureWorkflowBundle } from './workflow-bundle';
export { ensureCompiledWorker, freshCompiledWorker } from './compiled-worker';
