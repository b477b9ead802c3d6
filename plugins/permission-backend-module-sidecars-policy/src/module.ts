import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { SidecarsSamplePolicy } from './policy';

/** Installs SidecarsSamplePolicy; the platform group comes from `sidecars.platformGroup` (default group:default/platform-team). */
export const permissionModuleSidecarsPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'sidecars-sample-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
      },
      async init({ policy, userInfo, auth, config }) {
        policy.setPolicy(
          new SidecarsSamplePolicy({
            platformGroup:
              config.getOptionalString('sidecars.platformGroup') ??
              'group:default/platform-team',
            ownershipOf: async credentials =>
              auth.isPrincipal(credentials, 'user')
                ? (await userInfo.getUserInfo(credentials)).ownershipEntityRefs
                : [],
          }),
        );
      },
    });
  },
});
