/**
 * The Sidecar Campaigns backend plugin: sidecar inventory per catalog entity and across the fleet,
 * and campaign planning, start and control through Temporal.
 */
export { sidecarsPlugin as default } from './plugin';
