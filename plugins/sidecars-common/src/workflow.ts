// The part of common the workflow bundle may load into Temporal's deterministic sandbox: the
// workflow contract, maintenance windows, freezes and counts. No zod, no permission client.
export * from './workflowContract';
export * from './windows';
export * from './freezes';
export * from './analysis';
export * from './waves';
export { resolveCount } from './quantities';
export type { CampaignSpec, CampaignWave } from './spec';
export type { PlanFingerprint } from './planner';
