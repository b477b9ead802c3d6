import { coreServices, createServiceFactory, type BackstageCredentials, type PermissionsService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult, type AuthorizePermissionResponse, type Permission, type PolicyDecision } from '@backstage/plugin-permission-common';
import { createConditionAuthorizer, type PermissionPolicy } from '@backstage/plugin-permission-node';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';

/**
 * The permission framework in one process: a policy decides, and conditional decisions on catalog
 * entities are evaluated with the catalog's own permission rules (isEntityOwner etc.), as the
 * permission backend would do through the catalog.
 */
export function policyPermissionsFactory(policy: PermissionPolicy, entities: readonly Entity[]) {
  const applyConditions = createConditionAuthorizer(Object.values(permissionRules));
  const byRef = (ref: string) => entities.find(e => `${e.kind}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`.toLowerCase() === ref.toLowerCase());

  async function decide(request: { permission: Permission }, credentials: BackstageCredentials): Promise<PolicyDecision> {
    const principal = credentials.principal as { type?: string; userEntityRef?: string };
    if (principal.type === 'none') return { result: AuthorizeResult.DENY };
    const user = principal.type === 'user' ? { credentials, info: { userEntityRef: principal.userEntityRef!, ownershipEntityRefs: [] } } : undefined;
    return policy.handle({ permission: request.permission }, user);
  }

  const service: PermissionsService = {
    async authorize(requests, { credentials }) {
      return Promise.all(
        requests.map(async (request): Promise<AuthorizePermissionResponse> => {
          const decision = await decide(request, credentials);
          if (decision.result !== AuthorizeResult.CONDITIONAL) return { result: decision.result };
          const entity = request.resourceRef ? byRef(request.resourceRef) : undefined;
          return { result: applyConditions(decision, entity) ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
        }),
      );
    },
    async authorizeConditional(requests, { credentials }) {
      return Promise.all(requests.map(request => decide(request, credentials))) as ReturnType<PermissionsService['authorizeConditional']>;
    },
  };
  return createServiceFactory({ service: coreServices.permissions, deps: {}, factory: () => service });
}
