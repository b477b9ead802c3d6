import type { Entity } from '@backstage/catalog-model';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { PermissionPolicy } from '@backstage/plugin-permission-node';
import type { JsonObject } from '@backstage/types';
import request from 'supertest';
import { SidecarsSamplePolicy } from 'backend/src/permissionPolicy';
import { sidecarsPlugin } from '../plugin';
import { policyPermissionsFactory } from './policyPermissions';

export const USERS = {
  alice: 'user:default/alice',
  bob: 'user:default/bob',
  pat: 'user:default/pat',
} as const;

/** Who owns what through group membership, as the catalog in catalog/demo-fleet.yaml says. */
const OWNERSHIP: Record<string, string[]> = {
  [USERS.alice]: [USERS.alice, 'group:default/team-payments'],
  [USERS.bob]: [USERS.bob, 'group:default/team-checkout'],
  [USERS.pat]: [USERS.pat, 'group:default/platform-team'],
};

export const samplePolicy = new SidecarsSamplePolicy({
  platformGroup: 'group:default/platform-team',
  ownershipOf: async (credentials: BackstageCredentials) => OWNERSHIP[(credentials.principal as { userEntityRef?: string }).userEntityRef ?? ''] ?? [],
});

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests with \`node --import tsx test/stack/cli.ts test --jest plugins/sidecars-backend\``);
  return value;
}

export function component(name: string, owner: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner },
    // The relation the catalog stitches from spec.owner; ownership rules (isEntityOwner) read it.
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

export interface HarnessOptions {
  entities: Entity[];
  taskQueue: string;
  /** More clusters besides `local` (the stack's), e.g. one that is down. */
  extraClusters?: JsonObject[];
  policy?: PermissionPolicy;
  sidecars?: JsonObject;
}

/** The sidecars plugin in a test backend, against the stack's real Temporal and Kubernetes. */
export async function startSidecarsBackend(options: HarnessOptions) {
  const backend = await startTestBackend({
    features: [
      sidecarsPlugin,
      mockServices.rootConfig.factory({
        data: {
          sidecars: {
            temporal: {
              address: requiredEnv('TEMPORAL_ADDRESS'),
              namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
              taskQueue: options.taskQueue,
              webUiUrl: process.env.TEMPORAL_UI_URL ?? 'http://localhost:8233',
            },
            clusters: [{ name: 'local', authProvider: 'kubeconfig', kubeconfigPath: requiredEnv('KUBECONFIG') }, ...(options.extraClusters ?? [])],
            clusterTimeoutMs: 3000,
            fleetCacheSeconds: 0,
            ...options.sidecars,
          },
        },
      }),
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
      policyPermissionsFactory(options.policy ?? samplePolicy, options.entities),
    ],
  });
  const agent = request(backend.server);
  const as = (user: string | undefined) => {
    const headers: Record<string, string> = user ? { Authorization: mockCredentials.user.header(user) } : {};
    return {
      get: (path: string) => agent.get(`/api/sidecars${path}`).set(headers),
      post: (path: string, body?: unknown) => {
        const req = agent.post(`/api/sidecars${path}`).set(headers);
        return body === undefined ? req : req.send(body as object);
      },
    };
  };
  return { backend, as, stop: () => backend.stop() };
}
