/** The Sidecar Campaigns sample permission policy, installed into the permission backend. */
export { permissionModuleSidecarsPolicy as default } from './module';
export {
  SidecarsSamplePolicy,
  type SidecarsSamplePolicyOptions,
} from './policy';
