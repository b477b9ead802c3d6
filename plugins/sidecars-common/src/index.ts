export * from './spec';
export * from './quantities';
export * from './planner';
export * from './windows';
export * from './freezes';
export * from './workflowContract';
export * from './labelSelector';
export * from './imageReference';
export * from './entityRef';
export * from './kubernetesNames';
export {
  describeCronProblem,
  nextCronOccurrence,
  latestCronOccurrence,
} from './cron';
export * from './api';
export * from './targeting';
export * from './permissions';
export * from './workloadPlan';
export * from './startOrdering';
export * from './nativeSidecar';
export * from './toNativeTargeting';
export * from './restartWindows';
export * from './sidecarAccounting';
export * from './liveUpdates';
export * from './analysis';
export * from './analysisConditions';
export * from './waves';
export * from './campaignIds';
export * from './templateRun';
