import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import type {
  CampaignCounts,
  CampaignPhase,
  RecordedStatus,
} from '@internal/plugin-sidecars-common';
import { CampaignEntities } from './campaignEntities';
import type { CampaignSnapshot } from './changeFeed';
import { CampaignOwnerNotifier } from './ownerNotifier';

function service(name: string, owner: string, kubernetesId = name): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': kubernetesId },
    },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

const catalog = catalogServiceMock({
  entities: [
    service('checkout', 'team-checkout'),
    service('payments-api', 'group:default/team-payments'),
    service('ledger', 'team-payments'),
  ],
});

function snapshot(
  phase: CampaignPhase,
  options: {
    id?: string;
    entityRef?: string;
    counts?: Partial<CampaignCounts>;
    recorded?: Partial<RecordedStatus>;
  } = {},
): CampaignSnapshot {
  const counts: CampaignCounts = {
    total: 6,
    upgraded: 0,
    failed: 0,
    rolledBack: 0,
    skipped: 0,
    pending: 6,
    notStarted: 0,
    ...options.counts,
  };
  return {
    summary: {
      id: options.id ?? 'istio-proxy-1-24-2-abcdef',
      phase,
      container: 'istio-proxy',
      targetImage: 'docker.io/istio/proxyv2:1.24.2',
      startedAt: '2026-01-01T00:00:00.000Z',
      counts,
      ...(options.entityRef ? { entityRef: options.entityRef } : {}),
    },
    open: true,
    recorded: {
      phase,
      counts,
      currentBatch: null,
      totalBatches: 3,
      events: [],
      updatedAt: '2026-01-01T00:00:00.000Z',
      ...options.recorded,
    },
  };
}

function notifierWith(
  campaignPods: Record<string, Array<Record<string, string>>> = {},
) {
  const sent: NotificationSendOptions[] = [];
  const entities = new CampaignEntities({
    catalog,
    auth: mockServices.auth(),
    campaignPodLabels: id => campaignPods[id] ?? [],
  });
  const notifier = new CampaignOwnerNotifier({
    notifications: {
      send: async options => {
        sent.push(options);
      },
    },
    touchedEntities: snap => entities.of(snap),
    logger: mockServices.logger.mock(),
  });
  return { notifier, sent };
}

describe('CampaignOwnerNotifier', () => {
  it("notifies the owner group of a campaign's entity when it starts, with one scope per campaign and entity", async () => {
    const { notifier, sent } = notifierWith();
    const entityRef = 'component:default/checkout';

    await notifier.notify({
      previous: snapshot('Scheduled', { entityRef }),
      current: snapshot('Running', { entityRef }),
    });

    expect(sent).toEqual([
      {
        recipients: {
          type: 'entity',
          entityRef: 'group:default/team-checkout',
        },
        payload: {
          title:
            'Sidecar campaign istio-proxy → docker.io/istio/proxyv2:1.24.2 started',
          description: expect.stringContaining(
            'Campaign istio-proxy-1-24-2-abcdef touches component:default/checkout.',
          ),
          link: '/sidecars/campaigns/istio-proxy-1-24-2-abcdef',
          severity: 'normal',
          topic: 'sidecar-campaigns',
          scope:
            'sidecar-campaign:istio-proxy-1-24-2-abcdef:component:default/checkout',
        },
      },
    ]);
  });

  it('updates the same notification in place on the next milestone: a pause with its reason, then a failed batch', async () => {
    const { notifier, sent } = notifierWith();
    const entityRef = 'component:default/checkout';
    const running = snapshot('Running', { entityRef });
    const paused = snapshot('Paused', {
      entityRef,
      recorded: { pausedReason: 'paused by pat: change freeze' },
    });

    await notifier.notify({
      previous: snapshot('Scheduled', { entityRef }),
      current: running,
    });
    await notifier.notify({ previous: running, current: paused });
    const failed = snapshot('Running', {
      entityRef,
      counts: { upgraded: 2, failed: 1 },
      recorded: {
        events: [
          {
            at: '2026-01-01T00:02:00.000Z',
            type: 'batch',
            message: 'batch 2/3: 1 upgraded, 1 failed',
          },
        ],
      },
    });
    const resumed = snapshot('Running', { entityRef, counts: { upgraded: 1 } });
    await notifier.notify({ previous: resumed, current: failed });

    expect(sent).toHaveLength(3);
    expect(new Set(sent.map(s => s.payload.scope))).toEqual(
      new Set([
        'sidecar-campaign:istio-proxy-1-24-2-abcdef:component:default/checkout',
      ]),
    );
    expect(sent[1]?.payload).toMatchObject({
      title: expect.stringMatching(/ paused$/),
      description: expect.stringContaining('paused by pat: change freeze'),
      severity: 'high',
    });
    expect(sent[2]?.payload).toMatchObject({
      title: expect.stringMatching(/ 1 pod\(s\) failed$/),
      description: expect.stringContaining('batch 2/3: 1 upgraded, 1 failed'),
      severity: 'high',
    });
  });

  it('says nothing when only counts moved (a healthy batch ended)', async () => {
    const { notifier, sent } = notifierWith();
    const entityRef = 'component:default/checkout';

    await notifier.notify({
      previous: snapshot('Running', { entityRef }),
      current: snapshot('Running', { entityRef, counts: { upgraded: 2 } }),
    });

    expect(sent).toEqual([]);
  });

  it("maps a fleet campaign's labelled pods to their entities and notifies each entity's owner under its own scope", async () => {
    const id = 'fluent-bit-3-1-0-123456';
    const { notifier, sent } = notifierWith({
      [id]: [
        { 'backstage.io/kubernetes-id': 'payments-api', app: 'payments-api' },
        { 'backstage.io/kubernetes-id': 'payments-api', app: 'payments-api' },
        { 'backstage.io/kubernetes-id': 'ledger' },
        { app: 'no-entity' },
      ],
    });

    await notifier.notify({
      previous: snapshot('RollingBack', { id }),
      current: snapshot('RolledBack', {
        id,
        recorded: { phaseReason: 'failure budget exceeded' },
      }),
    });

    expect(
      sent
        .map(s => [
          s.recipients.type === 'entity' ? s.recipients.entityRef : 'broadcast',
          s.payload.scope,
          s.payload.severity,
        ])
        .sort(),
    ).toEqual([
      [
        'group:default/team-payments',
        `sidecar-campaign:${id}:component:default/ledger`,
        'high',
      ],
      [
        'group:default/team-payments',
        `sidecar-campaign:${id}:component:default/payments-api`,
        'high',
      ],
    ]);
    expect(sent[0]?.payload.description).toContain('failure budget exceeded');
  });

  it("tells the owners of a campaign in waves, found from its lanes' pods, that a wave needs approval", async () => {
    const id = 'istio-proxy-1-24-2-fedcba';
    const lane = `${id}-w1-local`;
    const { notifier, sent } = notifierWith({
      [lane]: [{ 'backstage.io/kubernetes-id': 'ledger' }],
    });
    const waves: RecordedStatus['waves'] = [
      {
        name: 'staging',
        state: 'completed',
        lanes: [{ cluster: 'local', campaignId: lane, phase: 'Completed' }],
      },
      {
        name: 'prod',
        state: 'gated',
        gate: { approval: true, bakeSeconds: 0, state: 'awaiting-approval' },
        lanes: [{ cluster: 'kwok-2', campaignId: `${id}-w2-kwok-2` }],
      },
    ];

    await notifier.notify({
      previous: snapshot('Running', { id, recorded: { waves } }),
      current: snapshot('Paused', {
        id,
        recorded: {
          waves,
          pausedReason:
            'wave "prod" waits for approval: approve it to start it',
        },
      }),
    });

    expect(sent).toEqual([
      expect.objectContaining({
        recipients: {
          type: 'entity',
          entityRef: 'group:default/team-payments',
        },
        payload: expect.objectContaining({
          title:
            'Sidecar campaign istio-proxy → docker.io/istio/proxyv2:1.24.2 needs approval to start wave "prod"',
          description: expect.stringContaining('approve it to start it'),
          severity: 'high',
          scope: `sidecar-campaign:${id}:component:default/ledger`,
        }),
      }),
    ]);
  });

  it('keeps the entities it found once the pods lose their labels, so the completion still reaches the owners', async () => {
    const id = 'fluent-bit-3-1-0-654321';
    const pods: Record<string, Array<Record<string, string>>> = {
      [id]: [{ 'backstage.io/kubernetes-id': 'ledger' }],
    };
    const { notifier, sent } = notifierWith(pods);
    const running = snapshot('Running', { id });
    await notifier.notify({
      previous: snapshot('Scheduled', { id }),
      current: running,
    });
    pods[id] = [];

    await notifier.notify({
      previous: running,
      current: snapshot('Completed', {
        id,
        counts: { upgraded: 6, pending: 0 },
      }),
    });

    expect(sent.map(s => s.payload.title)).toEqual([
      'Sidecar campaign istio-proxy → docker.io/istio/proxyv2:1.24.2 started',
      'Sidecar campaign istio-proxy → docker.io/istio/proxyv2:1.24.2 completed',
    ]);
    expect(sent[1]?.payload.description).toContain('6 of 6 pod(s) upgraded');
  });
});
