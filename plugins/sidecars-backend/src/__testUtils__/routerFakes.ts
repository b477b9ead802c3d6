import express from 'express';
import request from 'supertest';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Entity } from '@backstage/catalog-model';
import {
  accountSidecar,
  describeBatchSizes,
  type AccountedPod,
  type CampaignSpec,
  type CampaignSummary,
  type FreezeWindow,
} from '@internal/plugin-sidecars-common';
import { EntityLookup } from '../catalog/entities';
import type { OwnedSelection } from '../catalog/entityOwners';
import type { CampaignPlanner, PlanOutcome } from '../campaigns/planner';
import type { CampaignService } from '../campaigns/service';
import type { SidecarsSettings } from '../config';
import type { AccountingService } from '../inventory/accounting';
import { entitiesWithPods } from '../catalog/entityOwners';
import type { FleetService } from '../inventory/fleet';
import type { InventoryService } from '../inventory/inventory';
import { CampaignAccess } from '../permissions/access';
import {
  createRouter,
  type PublicApi,
  type RouterOptions,
} from '../http/router';

/** A service fake: the given methods, and for any other one a method that fails the test naming it. */
export function fake<T extends object>(methods: Partial<T>): T {
  return new Proxy(methods, {
    get: (target, name) =>
      name in target
        ? target[name as keyof T]
        : () => {
            throw new Error(
              `the router called ${String(name)}, which this test's fake does not provide`,
            );
          },
  }) as T;
}

export const FAKE_USER = 'user:default/alice';
export const FAKE_ENTITY_REF = 'component:default/checkout';

/** A namespace name the fake planner finds no pods in. */
export const EMPTY_NAMESPACE = 'empty';

const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-label-selector': 'app=checkout',
      'backstage.io/kubernetes-namespace': 'shop',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/team-payments',
  },
};

const withoutAnnotations: Entity = {
  ...checkout,
  metadata: { name: 'no-annotations', namespace: 'default' },
};

const settings: SidecarsSettings = {
  temporal: {
    address: 'temporal.invalid:7233',
    namespace: 'default',
    taskQueue: 'sidecar-campaigns',
    webUiUrl: 'http://temporal.invalid',
  },
  clusters: [
    {
      name: 'local',
      authProvider: 'kubeconfig',
      kubeconfigPath: '/nowhere',
      skipTLSVerify: false,
    },
  ],
  clusterTimeoutMs: 1000,
  fleetCacheMs: 0,
  inventory: { watch: false, watchGraceMs: 0 },
  knownSidecars: new Set(['istio-proxy']),
  changeFeed: { intervalMs: 0, notifyOwners: false },
  // Defaults at every level a client could smuggle into, so a merge that followed a prototype would show.
  campaignDefaults: {
    strategy: { healthTimeoutSeconds: 120 },
    schedule: { notBefore: '2030-01-01T00:00:00Z' },
  },
  freezes: [],
};

/** Two pods in one cluster (none in EMPTY_NAMESPACE), both running istio-proxy and no other sidecar. */
function fakePlan(spec: CampaignSpec): PlanOutcome {
  const selected = spec.selector.namespaces?.includes(EMPTY_NAMESPACE) ? 0 : 2;
  const withContainer = spec.container === 'istio-proxy' ? selected : 0;
  const batches =
    withContainer > 0
      ? [
          { index: 0, pods: ['local/shop/a'], canary: false },
          { index: 1, pods: ['local/shop/b'], canary: false },
        ]
      : [];
  const plan: PlanOutcome['plan'] = {
    spec,
    maxUnavailable: 1,
    totalPods: withContainer,
    batches,
    partitioned: [],
    skipped: [],
    warnings: [],
    fingerprint: {
      clusters: ['local'],
      selectedPods: selected,
      targets: selected,
      skipped: 0,
      partitioned: 0,
      batchSizes: describeBatchSizes(batches.map(b => b.pods.length)),
    },
  };
  return {
    plan,
    selected,
    withContainer,
    clusters: [{ name: 'local', ok: true }],
    partial: false,
  };
}

/** Two shop pods running istio-proxy, accounted to the owner of the first entity the catalog maps to pods. */
function fakeAccountedPods(owners: readonly OwnedSelection[]): AccountedPod[] {
  const team = owners[0]?.owner;
  return ['a', 'b'].map(() => ({
    cluster: 'local',
    namespace: 'shop',
    ...(team ? { team } : {}),
    workload: { kind: 'Deployment', name: 'checkout' },
    requests: { cpuCores: 0.35, memoryBytes: 384 * 2 ** 20 },
    sidecar: {
      requests: { cpuCores: 0.1, memoryBytes: 128 * 2 ** 20 },
      limits: { memoryBytes: 256 * 2 ** 20 },
      ordering: 'unordered',
      restarts: [],
      crashLoopingNow: false,
    },
  }));
}

export interface FakeRouterOptions {
  permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  /** The configured `sidecars.freezes`; none by default. */
  freezes?: FreezeWindow[];
  campaigns?: Partial<PublicApi<CampaignService>>;
}

/**
 * The sidecars router on an express app with fake services: no Temporal, no Kubernetes. Records
 * each spec the campaign service was asked to start, and the options it was started with.
 */
export function routerWithFakes(options: FakeRouterOptions = {}) {
  const started: CampaignSpec[] = [];
  const starts: Array<Parameters<CampaignService['start']>[1]> = [];
  const campaigns = fake<PublicApi<CampaignService>>({
    start: async (spec, startOptions) => {
      started.push(spec);
      starts.push(startOptions);
      return {
        id: 'istio-proxy-1-24-2-abcdef',
        phase: 'Scheduled',
        container: spec.container,
        targetImage: spec.targetImage,
        startedAt: new Date(0).toISOString(),
      } satisfies CampaignSummary;
    },
    list: async () => ({ items: [] }),
    get: async id => {
      throw new NotFoundError(`there is no campaign ${JSON.stringify(id)}`);
    },
    ...options.campaigns,
  });
  const catalog = catalogServiceMock({
    entities: [checkout, withoutAnnotations],
  });
  const routerOptions: RouterOptions = {
    settings: { ...settings, freezes: options.freezes ?? [] },
    logger: mockServices.logger.mock(),
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.none(),
    }),
    access: new CampaignAccess(
      mockServices.permissions({
        result: options.permission ?? AuthorizeResult.ALLOW,
      }),
    ),
    entities: new EntityLookup(catalog),
    inventory: fake<PublicApi<InventoryService>>({
      entityInventory: async entityRef => ({
        entityRef,
        workloads: [],
        clusters: [{ name: 'local', ok: true }],
        partial: false,
      }),
    }),
    fleet: fake<PublicApi<FleetService>>({
      containerView: async container => ({
        container,
        versions:
          container === 'istio-proxy'
            ? [
                {
                  version: '1.22.3',
                  image: 'docker.io/istio/proxyv2:1.22.3',
                  pods: 2,
                },
              ]
            : [],
        rows: [],
        clusters: [{ name: 'local', ok: true }],
        partial: false,
      }),
    }),
    accounting: fake<PublicApi<AccountingService>>({
      account: async (sidecar, groupBy, owners) => ({
        ...accountSidecar(
          sidecar,
          sidecar === 'istio-proxy' ? fakeAccountedPods(owners) : [],
          groupBy,
          Date.now(),
        ),
        clusters: [{ name: 'local', ok: true }],
        partial: false,
      }),
    }),
    entityOwners: credentials => entitiesWithPods(catalog, credentials),
    planner: fake<PublicApi<CampaignPlanner>>({
      plan: async spec => fakePlan(spec),
    }),
    campaigns,
  };
  const app = express().use(createRouter(routerOptions));
  const auth = { Authorization: mockCredentials.user.header(FAKE_USER) };
  return { app, started, starts, auth, client: () => request(app) };
}
