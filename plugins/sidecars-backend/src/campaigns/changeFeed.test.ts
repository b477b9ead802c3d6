import type { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import type { SignalPayload } from '@backstage/plugin-signals-node';
import {
  CAMPAIGN_SIGNAL_CHANNELS,
  type CampaignPhase,
  type RecordedStatus,
} from '@internal/plugin-sidecars-common';
import {
  CampaignChangeFeed,
  type CampaignSnapshot,
  type ListWatchedCampaigns,
} from './changeFeed';
import { publishChangeSignals } from './changeSignals';

function snapshot(
  id: string,
  phase: CampaignPhase,
  recorded: Partial<RecordedStatus> = {},
  entityRef?: string,
): CampaignSnapshot {
  const counts = {
    total: 4,
    upgraded: 0,
    failed: 0,
    rolledBack: 0,
    skipped: 0,
    pending: 4,
    notStarted: 0,
  };
  return {
    summary: {
      id,
      phase,
      container: 'istio-proxy',
      targetImage: 'docker.io/istio/proxyv2:1.24.2',
      startedAt: '2026-01-01T00:00:00.000Z',
      counts,
      ...(entityRef ? { entityRef } : {}),
    },
    open: true,
    recorded: {
      phase,
      counts,
      currentBatch: null,
      totalBatches: 2,
      events: [],
      updatedAt: '2026-01-01T00:00:00.000Z',
      ...recorded,
    },
  };
}

/** A visibility list that answers what the test last put in it. */
function fakeVisibility(initial: CampaignSnapshot[] = []) {
  let snapshots = initial;
  const listWatched: ListWatchedCampaigns = async () => ({
    snapshots,
    truncated: false,
  });
  return {
    listWatched,
    set: (next: CampaignSnapshot[]) => {
      snapshots = next;
    },
  };
}

/** A signals service that records what it was asked to publish. */
function fakeSignals() {
  const published: SignalPayload[] = [];
  return {
    published,
    service: {
      publish: async (signal: SignalPayload) => {
        published.push(signal);
      },
    },
  };
}

const sleep = (ms: number) =>
  new Promise(resolve => {
    setTimeout(resolve, ms);
  });

async function waitUntil(condition: () => boolean, timeoutMs = 2_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(5);
  }
}

/** A feed over `visibility` that publishes its changes as signals, touching no entity. */
function signallingFeed(
  visibility: ReturnType<typeof fakeVisibility>,
  logger: LoggerService,
) {
  const signals = fakeSignals();
  const feed = new CampaignChangeFeed({
    listWatched: visibility.listWatched,
    listeners: [publishChangeSignals(signals.service, async () => [])],
    logger,
  });
  return { feed, signals };
}

/** One list, and every listener told of what it found. */
async function pollAndDeliver(feed: CampaignChangeFeed) {
  const changes = await feed.poll();
  await feed.delivered();
  return changes;
}

describe('CampaignChangeFeed', () => {
  const logger = mockServices.logger.mock();

  it('publishes nothing for the first list, which only sets the baseline', async () => {
    const visibility = fakeVisibility([snapshot('a', 'Running')]);
    const { feed, signals } = signallingFeed(visibility, logger);

    expect(await pollAndDeliver(feed)).toEqual([]);
    expect(signals.published).toEqual([]);
  });

  it('publishes a signal on the campaign and list channels for each change, with ids and phase only', async () => {
    const visibility = fakeVisibility([
      snapshot('a', 'Running'),
      snapshot('b', 'Running'),
    ]);
    const { feed, signals } = signallingFeed(visibility, logger);
    await pollAndDeliver(feed);

    // A batch ended for a (its recorded status moved on), b did not change.
    visibility.set([
      snapshot('a', 'Running', {
        currentBatch: null,
        updatedAt: '2026-01-01T00:01:00.000Z',
      }),
      snapshot('b', 'Running'),
    ]);
    await pollAndDeliver(feed);
    expect(signals.published).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: 'sidecars:campaign:a',
        message: { campaignId: 'a', phase: 'Running' },
      },
      {
        recipients: { type: 'broadcast' },
        channel: 'sidecars:campaigns',
        message: { campaignId: 'a', phase: 'Running' },
      },
    ]);

    // A control paused b; a new campaign c appeared.
    signals.published.length = 0;
    visibility.set([
      snapshot('a', 'Running', { updatedAt: '2026-01-01T00:01:00.000Z' }),
      snapshot('b', 'Paused', { pausedReason: 'paused by pat' }),
      snapshot('c', 'Scheduled'),
    ]);
    await pollAndDeliver(feed);
    expect(signals.published.map(s => [s.channel, s.message])).toEqual([
      ['sidecars:campaign:b', { campaignId: 'b', phase: 'Paused' }],
      ['sidecars:campaigns', { campaignId: 'b', phase: 'Paused' }],
      ['sidecars:campaign:c', { campaignId: 'c', phase: 'Scheduled' }],
      ['sidecars:campaigns', { campaignId: 'c', phase: 'Scheduled' }],
    ]);

    // Nothing changed: nothing is published.
    signals.published.length = 0;
    await pollAndDeliver(feed);
    expect(signals.published).toEqual([]);
  });

  it('publishes on the channel of each entity the campaign touches', async () => {
    const visibility = fakeVisibility([]);
    const signals = fakeSignals();
    const feed = new CampaignChangeFeed({
      listWatched: visibility.listWatched,
      listeners: [
        publishChangeSignals(signals.service, async current => [
          { entityRef: current.summary.entityRef ?? 'none' },
        ]),
      ],
      logger,
    });
    await pollAndDeliver(feed);
    visibility.set([
      snapshot('a', 'Running', {}, 'component:default/checkout'),
    ]);
    await pollAndDeliver(feed);

    expect(signals.published.map(s => s.channel)).toEqual([
      'sidecars:campaign:a',
      'sidecars:campaigns',
      'sidecars:entity:component:default/checkout',
    ]);
  });

  it('sees a workflow that closed outside its own code as a change, although its memo stayed', async () => {
    const running = snapshot('a', 'Running');
    const visibility = fakeVisibility([running]);
    const { feed, signals } = signallingFeed(visibility, logger);
    await pollAndDeliver(feed);
    visibility.set([
      {
        ...running,
        open: false,
        summary: { ...running.summary, phase: 'Failed' },
      },
    ]);

    const changes = await pollAndDeliver(feed);
    expect(changes).toHaveLength(1);
    expect(signals.published[0]?.message).toEqual({
      campaignId: 'a',
      phase: 'Failed',
    });
  });

  it("sees a rolling window's progress as a change, although its memo stayed", async () => {
    const rolling = (upgraded: number): CampaignSnapshot => ({
      ...snapshot('a', 'Running'),
      progress: {
        stage: 'rolling',
        fromBatch: 0,
        toBatch: 2,
        states: { upgraded, upgrading: 1 },
        inFlight: 1,
      },
    });
    const visibility = fakeVisibility([rolling(1)]);
    const { feed, signals } = signallingFeed(visibility, logger);
    await pollAndDeliver(feed);
    expect(await pollAndDeliver(feed)).toEqual([]);

    visibility.set([rolling(2)]);
    expect(await pollAndDeliver(feed)).toHaveLength(1);
    expect(signals.published.map(s => s.channel)).toContain(
      CAMPAIGN_SIGNAL_CHANNELS.campaign('a'),
    );
  });

  it('lists on while a listener is slow, and tells each listener of the changes in order', async () => {
    const visibility = fakeVisibility([snapshot('a', 'Scheduled')]);
    let releaseSlow: () => void = () => {};
    const slowStarted: string[] = [];
    const fastTold: string[] = [];
    const feed = new CampaignChangeFeed({
      listWatched: visibility.listWatched,
      listeners: [
        async change => {
          slowStarted.push(change.current.summary.phase);
          await new Promise<void>(resolve => {
            releaseSlow = resolve;
          });
        },
        async change => {
          fastTold.push(change.current.summary.phase);
        },
      ],
      logger,
    });
    await feed.poll();
    visibility.set([snapshot('a', 'Running')]);
    await feed.poll();
    visibility.set([snapshot('a', 'Paused')]);
    await feed.poll();
    await sleep(10);

    expect(fastTold).toEqual(['Running', 'Paused']);
    expect(slowStarted).toEqual(['Running']);
    releaseSlow();
    await sleep(10);
    expect(slowStarted).toEqual(['Running', 'Paused']);
    releaseSlow();
    await feed.delivered();
  });

  it('keeps listing after a listener or a list fails', async () => {
    const visibility = fakeVisibility([snapshot('a', 'Running')]);
    let fail = false;
    const listWatched: ListWatchedCampaigns = async () => {
      if (fail) throw new Error('Temporal is unavailable');
      return visibility.listWatched();
    };
    const told: string[] = [];
    const feed = new CampaignChangeFeed({
      listWatched,
      listeners: [
        async () => {
          throw new Error('signals are down');
        },
        async change => {
          told.push(change.current.summary.phase);
        },
      ],
      logger,
      intervalMs: 10,
    });
    feed.start();
    try {
      await sleep(50);
      fail = true;
      await sleep(50);
      visibility.set([snapshot('a', 'Paused')]);
      fail = false;
      await waitUntil(() => told.length > 0);
    } finally {
      await feed.stop();
    }
    expect(told).toEqual(['Paused']);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('could not list campaigns'),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('signals are down'),
    );
  });
});
