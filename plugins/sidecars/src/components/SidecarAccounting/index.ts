export { SidecarAccountingPage } from './SidecarAccountingPage';
