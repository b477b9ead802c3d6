/**
 * What other workspaces' tests take from the backend, exported as `testUtils` (package.json) the way
 * Backstage packages export theirs: the OpenAPI contract check the frontend client is tested
 * against, and the planner and cluster readers whose plans the worker's claims must agree with.
 * The in-process test backend has a subpath of its own, `testHarness`: it loads the whole backend
 * (auth, catalog, permissions), which a frontend test importing this file should not pay for.
 */
export { loadContract, type ContractCheck } from './contractCheck';
export { CampaignPlanner, type PlanOutcome } from '../campaigns/planner';
export { createClusterReaders } from '../kubernetes/clusters';
