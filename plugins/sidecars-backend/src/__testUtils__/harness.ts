import type { Server } from 'node:http';
import type { BackendFeature } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import type { JsonObject } from '@backstage/types';
import authPlugin from '@backstage/plugin-auth-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import demoSignInModule from '@internal/plugin-auth-backend-module-demo-provider';
import sidecarsPolicyModule from '@internal/plugin-permission-backend-module-sidecars-policy';
import { waitFor } from '@internal/dev-stack/stack/wait';
import request from 'supertest';
import { sidecarsPlugin } from '../plugin';
import { catalogEntitiesModule, demoPeople } from './catalogEntities';
import { signInAsDemoUser } from './signIn';

/** Demo users of catalog/demo-fleet.yaml: alice is in team-payments, bob in team-checkout, pat in platform-team. */
export const USERS = {
  alice: 'user:default/alice',
  bob: 'user:default/bob',
  pat: 'user:default/pat',
} as const;

const userName = (ref: string) => ref.slice(ref.indexOf('/') + 1);

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run these tests with \`npm test -- --jest plugins/sidecars-backend\``,
    );
  return value;
}

export function component(
  name: string,
  owner: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

export interface HarnessOptions {
  entities: Entity[];
  taskQueue: string;
  /** More clusters besides `local` (the stack's), e.g. one that is down. */
  extraClusters?: JsonObject[];
  sidecars?: JsonObject;
  /** More features, e.g. service factories that record what the plugin publishes. */
  features?: BackendFeature[];
}

/**
 * The portal's backend in one test process, against the stack's real Temporal and Kubernetes: the
 * sidecars plugin, the real auth backend with the demo sign-in, the real catalog (the demo users
 * and groups of catalog/demo-fleet.yaml plus the test's entities) and the real permission backend
 * with the sample policy. Requests carry tokens the auth backend issued at sign-in.
 */
export async function startSidecarsBackend(options: HarnessOptions) {
  const backend = await startTestBackend({
    features: [
      sidecarsPlugin,
      authPlugin,
      demoSignInModule,
      catalogPlugin,
      catalogEntitiesModule([...demoPeople(), ...options.entities]),
      permissionPlugin,
      sidecarsPolicyModule,
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          auth: {
            providers: {
              demo: {
                users: Object.values(USERS).map(ref => ({
                  name: userName(ref),
                })),
              },
            },
          },
          permission: { enabled: true },
          sidecars: {
            temporal: {
              address: requiredEnv('TEMPORAL_ADDRESS'),
              namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
              taskQueue: options.taskQueue,
              webUiUrl: process.env.TEMPORAL_UI_URL ?? 'http://localhost:8233',
            },
            clusters: [
              {
                name: 'local',
                authProvider: 'kubeconfig',
                kubeconfigPath: requiredEnv('KUBECONFIG'),
              },
              ...(options.extraClusters ?? []),
            ],
            clusterTimeoutMs: 3000,
            fleetCacheSeconds: 0,
            ...options.sidecars,
          },
        },
      }),
    ],
  });
  const server = backend.server as Server;
  const tokens = await signInOnceCatalogued(server, options.entities);
  const agent = request(server);
  const withHeaders = (headers: Record<string, string>) => ({
    get: (path: string) => agent.get(`/api/sidecars${path}`).set(headers),
    post: (path: string, body?: unknown) => {
      const req = agent.post(`/api/sidecars${path}`).set(headers);
      return body === undefined ? req : req.send(body as object);
    },
  });
  /** Requests as one of USERS, signed in through the auth backend; `undefined` sends no credentials. */
  const as = (user: string | undefined) =>
    withHeaders(
      user ? { Authorization: `Bearer ${tokenOf(tokens, user)}` } : {},
    );
  /** Requests with exactly this bearer token, e.g. a forged one. */
  const withToken = (token: string) =>
    withHeaders({ Authorization: `Bearer ${token}` });
  return {
    backend,
    server,
    as,
    withToken,
    tokenOf: (user: string) => tokenOf(tokens, user),
    stop: () => backend.stop(),
  };
}

function tokenOf(tokens: Map<string, string>, user: string): string {
  const token = tokens.get(user);
  if (!token)
    throw new Error(
      `${user} is not one of the harness's demo users (${[...tokens.keys()].join(', ')})`,
    );
  return token;
}

/**
 * Signs every demo user in once the catalog has stitched their group membership (a token issued
 * earlier would lack their group), and waits until the test's entities are in the catalog.
 */
async function signInOnceCatalogued(
  server: Server,
  entities: Entity[],
): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (const ref of Object.values(USERS)) {
    const signedIn = await waitFor(
      async () => {
        const identity = await signInAsDemoUser(server, userName(ref));
        return (
          identity.ownershipEntityRefs.some(owner =>
            owner.startsWith('group:'),
          ) && identity
        );
      },
      {
        what: `${ref} to sign in with a group from the catalog`,
        timeoutMs: 60_000,
        intervalMs: 250,
      },
    );
    tokens.set(ref, signedIn.token);
  }
  const reader = tokenOf(tokens, USERS.pat);
  for (const entity of entities) {
    const path = `/api/catalog/entities/by-name/${entity.kind.toLowerCase()}/${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`;
    await waitFor(
      async () =>
        (
          await request(server)
            .get(path)
            .set('Authorization', `Bearer ${reader}`)
        ).status === 200,
      {
        what: `the catalog to hold ${entity.kind}:${entity.metadata.name}`,
        timeoutMs: 60_000,
        intervalMs: 250,
      },
    );
  }
  return tokens;
}
