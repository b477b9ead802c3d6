export { EntitySidecarsContent } from './EntitySidecarsContent';
