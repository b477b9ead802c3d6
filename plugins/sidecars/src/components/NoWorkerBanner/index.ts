export { NoWorkerBanner } from './NoWorkerBanner';
