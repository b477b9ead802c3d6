export { FreshnessCaption } from './FreshnessCaption';
