import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  notificationService,
  type NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import {
  signalsServiceRef,
  type SignalPayload,
} from '@backstage/plugin-signals-node';
import type {
  CampaignDetail,
  CampaignSignalMessage,
  CampaignSummary,
} from '@internal/plugin-sidecars-common';
import { campaignHarness } from '@internal/stack-tests/support/campaigns';
import { startSidecarsBackend, USERS } from './__testUtils__/harness';
import {
  awaitCampaign,
  inPhase,
  NEW_ISTIO,
  ownedFleet,
} from './__testUtils__/fleets';

jest.setTimeout(240_000);

/** The change feed's promise: a signal within 2 s of the change the workflow recorded. */
const SIGNAL_WITHIN_MS = 2_000;

const sleep = (ms: number) =>
  new Promise(resolve => {
    setTimeout(resolve, ms);
  });

describe('live updates and owner notifications on the stack', () => {
  let temporal: Awaited<ReturnType<typeof campaignHarness>>;
  let harness: Awaited<ReturnType<typeof startSidecarsBackend>>;
  let fleet: Awaited<ReturnType<typeof ownedFleet>>;
  const signals: Array<{ at: number; payload: SignalPayload }> = [];
  const notifications: NotificationSendOptions[] = [];

  beforeAll(async () => {
    temporal = await campaignHarness('live');
    await temporal.startWorker();
    fleet = await ownedFleet('be-live', 2);
    harness = await startSidecarsBackend({
      entities: [fleet.entity],
      taskQueue: temporal.taskQueue,
      features: [
        createServiceFactory({
          service: signalsServiceRef,
          deps: {},
          factory: () => ({
            publish: async payload => {
              signals.push({ at: Date.now(), payload });
            },
          }),
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({
            send: async options => {
              notifications.push(options);
            },
          }),
        }),
      ],
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await temporal?.close();
  });

  it('signals each change within 2 s and keeps one notification per campaign and entity for its owners', async () => {
    const alice = harness.as(USERS.alice);
    const started = await alice.post('/campaigns', {
      spec: {
        container: 'istio-proxy',
        targetImage: NEW_ISTIO,
        selector: { entityRef: fleet.entityRef },
        strategy: { maxUnavailable: 1, bakeSeconds: 5 },
      },
    });
    expect(started.status).toBe(201);
    const { id } = started.body as CampaignSummary;
    await awaitCampaign(
      harness,
      USERS.alice,
      id,
      d => d.phase === 'Running' && d.status.batches.length > 0,
      'running its first batch',
    );
    // People act on a campaign seconds apart: each phase lasts longer than one list interval, so
    // the feed sees (and notifies) each one. Phases that change within one interval are one
    // change to the feed (see docs/design-notes.md).
    await sleep(1_500);
    expect(
      (await alice.post(`/campaigns/${id}/pause`, { reason: 'error rate up' }))
        .status,
    ).toBe(202);
    await awaitCampaign(harness, USERS.alice, id, inPhase('Paused'), 'paused');
    await sleep(1_500);
    expect(
      (await alice.post(`/campaigns/${id}/resume`, { reason: 'false alarm' }))
        .status,
    ).toBe(202);
    const done = (await awaitCampaign(
      harness,
      USERS.alice,
      id,
      inPhase('Completed'),
      'completed',
    )) as CampaignDetail;
    // The last change is published within the feed's interval of being recorded.
    await sleep(SIGNAL_WITHIN_MS);

    const onCampaign = signals.filter(
      s => s.payload.channel === `sidecars:campaign:${id}`,
    );
    const onList = signals.filter(
      s =>
        s.payload.channel === 'sidecars:campaigns' &&
        (s.payload.message as CampaignSignalMessage).campaignId === id,
    );
    const onEntity = signals.filter(
      s => s.payload.channel === `sidecars:entity:${fleet.entityRef}`,
    );
    expect(onList).toHaveLength(onCampaign.length);
    expect(onEntity).toHaveLength(onCampaign.length);
    for (const signal of onCampaign) {
      expect(signal.payload.recipients).toEqual({ type: 'broadcast' });
      expect(Object.keys(signal.payload.message).sort()).toEqual([
        'campaignId',
        'phase',
      ]);
    }

    // Every change the workflow recorded (phases, controls, batch ends) was followed by a signal
    // within 2 s, on which a page refetches the campaign.
    const latencies = done.status.events
      .filter(event => event.type !== 'created')
      .map(event => {
        const recordedAt = Date.parse(event.at);
        const signal = onCampaign.find(s => s.at >= recordedAt);
        return {
          change: event.type,
          ms: signal ? signal.at - recordedAt : Infinity,
        };
      });
    // eslint-disable-next-line no-console
    console.log(`signal latency per change: ${JSON.stringify(latencies)}`);
    expect(latencies.map(l => l.change)).toEqual(
      expect.arrayContaining([
        'phase:Running',
        'pause',
        'resume',
        'phase:Completed',
      ]),
    );
    for (const latency of latencies)
      expect(latency.ms).toBeLessThan(SIGNAL_WITHIN_MS);

    const scope = `sidecar-campaign:${id}:${fleet.entityRef}`;
    const mine = notifications.filter(n => n.payload.scope === scope);
    expect(notifications.filter(n => n.payload.scope?.includes(id))).toEqual(
      mine,
    );
    for (const notification of mine) {
      expect(notification.recipients).toEqual({
        type: 'entity',
        entityRef: 'group:default/team-payments',
      });
      expect(notification.payload.link).toBe(`/sidecars/campaigns/${id}`);
    }
    const headlines = mine.map(n =>
      n.payload.title.replace(/^Sidecar campaign .* → \S+ /, ''),
    );
    expect(headlines).toEqual([
      'started',
      'paused',
      'running again',
      'completed',
    ]);
    expect(mine[1]?.payload.description).toContain('error rate up');
  });
});
