export { PartialResultWarning } from './PartialResultWarning';
