import {
  noCounts,
  type CampaignDetail,
  type CampaignSpec,
  type CampaignStatus,
  type CampaignSummary,
  type FleetResponse,
  type InventoryResponse,
  type PlanResponse,
  type WorkloadInventory,
} from '@internal/plugin-sidecars-common';

export const CHECKOUT_REF = 'component:default/checkout';

export function campaignSpec(
  overrides: Partial<CampaignSpec> = {},
): CampaignSpec {
  return {
    container: 'istio-proxy',
    targetImage: 'docker.io/istio/proxyv2:1.24.2',
    selector: { entityRef: CHECKOUT_REF },
    mode: 'in-place',
    strategy: {
      maxUnavailable: '10%',
      order: { by: 'name' },
      bakeSeconds: 60,
      healthTimeoutSeconds: 300,
      failureBudget: 0,
      onFailure: 'rollback',
      rollbackWindowSeconds: 86400,
    },
    ...overrides,
  };
}

export function campaignSummary(
  overrides: Partial<CampaignSummary> = {},
): CampaignSummary {
  return {
    id: 'campaign-1',
    phase: 'Running',
    container: 'istio-proxy',
    targetImage: 'docker.io/istio/proxyv2:1.24.2',
    entityRef: CHECKOUT_REF,
    createdBy: 'user:default/jane',
    startedAt: '2025-06-02T08:00:00Z',
    counts: {
      total: 10,
      upgraded: 4,
      failed: 0,
      rolledBack: 0,
      skipped: 0,
      pending: 6,
      notStarted: 0,
    },
    ...overrides,
  };
}

export function campaignDetail(
  overrides: Partial<Omit<CampaignDetail, 'status'>> & {
    status?: Partial<CampaignStatus>;
  } = {},
): CampaignDetail {
  const { status, ...summaryOverrides } = overrides;
  const summary = campaignSummary(summaryOverrides);
  return {
    ...summary,
    temporalUiUrl: `http://localhost:8233/namespaces/default/workflows/${summary.id}`,
    statusSource: 'worker',
    allowedActions: ['pause', 'abort'],
    ...summaryOverrides,
    status: {
      campaignId: summary.id,
      phase: summary.phase,
      spec: campaignSpec(),
      counts: summary.counts ?? noCounts(),
      currentBatch: 1,
      totalBatches: 5,
      batches: [
        {
          index: 0,
          size: 2,
          upgraded: 2,
          failed: 0,
          rolledBack: 0,
          skipped: 0,
          startedAt: '2025-06-02T08:00:00Z',
          finishedAt: '2025-06-02T08:01:30Z',
          direction: 'upgrade',
        },
        {
          index: 1,
          size: 2,
          upgraded: 2,
          failed: 0,
          rolledBack: 0,
          skipped: 0,
          startedAt: '2025-06-02T08:02:30Z',
          direction: 'upgrade',
        },
      ],
      events: [
        {
          at: '2025-06-02T08:00:00Z',
          type: 'started',
          message: 'campaign started',
          by: 'user:default/jane',
        },
        {
          at: '2025-06-02T08:01:30Z',
          type: 'batch',
          message: 'batch 1/5: 2 upgraded, 0 failed',
        },
      ],
      failures: [],
      startedAt: summary.startedAt,
      updatedAt: '2025-06-02T08:03:00Z',
      ...status,
    },
  };
}

export function workload(
  overrides: Partial<WorkloadInventory> = {},
): WorkloadInventory {
  return {
    cluster: 'prod-eu-1',
    namespace: 'payments',
    kind: 'Deployment',
    name: 'checkout',
    pods: 3,
    readyPods: 3,
    sidecars: [
      {
        container: 'istio-proxy',
        kind: 'injected',
        versions: [
          {
            image: 'docker.io/istio/proxyv2:1.22.1',
            version: '1.22.1',
            pods: 2,
            readyPods: 2,
            restarts: 1,
          },
          {
            image: 'docker.io/istio/proxyv2:1.23.0',
            version: '1.23.0',
            pods: 1,
            readyPods: 1,
            restarts: 2,
          },
        ],
        resources: {
          requests: { cpu: '100m', memory: '128Mi' },
          limits: { cpu: '500m', memory: '256Mi' },
          shareOfPod: { cpu: 0.25, memory: 0.1 },
        },
        newestFleetVersion: '1.24.2',
        drift: 'behind',
        versionsBehind: 2,
        startOrdering: { kind: 'unordered' },
        crashLoopingPods: 0,
      },
    ],
    ...overrides,
  };
}

export function inventory(
  overrides: Partial<InventoryResponse> = {},
): InventoryResponse {
  return {
    entityRef: CHECKOUT_REF,
    workloads: [workload()],
    clusters: [{ name: 'prod-eu-1', ok: true }],
    partial: false,
    ...overrides,
  };
}

export function fleet(overrides: Partial<FleetResponse> = {}): FleetResponse {
  return {
    container: 'istio-proxy',
    newestVersion: '1.24.2',
    versions: [
      { version: '1.24.2', image: 'docker.io/istio/proxyv2:1.24.2', pods: 40 },
      { version: '1.22.1', image: 'docker.io/istio/proxyv2:1.22.1', pods: 60 },
    ],
    rows: [
      {
        cluster: 'prod-eu-1',
        namespace: 'payments',
        image: 'docker.io/istio/proxyv2:1.24.2',
        version: '1.24.2',
        pods: 40,
      },
      {
        cluster: 'prod-us-1',
        namespace: 'search',
        image: 'docker.io/istio/proxyv2:1.22.1',
        version: '1.22.1',
        pods: 60,
      },
    ],
    clusters: [
      { name: 'prod-eu-1', ok: true },
      { name: 'prod-us-1', ok: true },
    ],
    partial: false,
    ...overrides,
  };
}

/** A plan whose batches have the given sizes. */
export function plan(
  batchSizes: readonly number[],
  overrides: Partial<PlanResponse> = {},
): PlanResponse {
  let pod = 0;
  const batches = batchSizes.map((size, index) => ({
    index,
    pods: Array.from(
      { length: size },
      () => `prod-eu-1/payments/checkout-${pod++}`,
    ),
    canary: false,
  }));
  return {
    spec: campaignSpec(),
    maxUnavailable: Math.max(1, ...batchSizes),
    totalPods: pod,
    batches,
    partitioned: [],
    skipped: [],
    warnings: [],
    fingerprint: {
      clusters: ['prod-eu-1'],
      selectedPods: pod,
      targets: pod,
      skipped: 0,
      partitioned: 0,
      batchSizes: batchSizes.join(', '),
    },
    freezes: [],
    ...overrides,
  };
}
