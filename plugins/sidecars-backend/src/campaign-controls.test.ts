import type {
  CampaignControlResponse,
  CampaignDetail,
  CampaignListResponse,
  CampaignSummary,
} from '@internal/plugin-sidecars-common';
import { campaignHarness } from '@internal/stack-tests/support/campaigns';
import { listPods, testCluster } from '@internal/stack-tests/support/cluster';
import { sidecarImage } from '@internal/stack-tests/support/fleet';
import { startSidecarsBackend, USERS } from './__testUtils__/harness';
import {
  awaitCampaign,
  inPhase,
  NEW_ISTIO,
  ownedFleet,
} from './__testUtils__/fleets';

jest.setTimeout(240_000);

describe('campaign controls while no worker polls', () => {
  let temporal: Awaited<ReturnType<typeof campaignHarness>>;
  let harness: Awaited<ReturnType<typeof startSidecarsBackend>>;
  let fleet: Awaited<ReturnType<typeof ownedFleet>>;
  const pat = () => harness.as(USERS.pat);
  const upgradedPods = async () =>
    (await listPods(testCluster(), fleet.namespace, fleet.selector))
      .filter(pod => sidecarImage(pod, 'istio-proxy') === NEW_ISTIO)
      .map(pod => pod.metadata!.name);

  beforeAll(async () => {
    temporal = await campaignHarness('be-no-worker');
    await temporal.startWorker();
    fleet = await ownedFleet('be-no-worker', 3);
    harness = await startSidecarsBackend({
      entities: [fleet.entity],
      taskQueue: temporal.taskQueue,
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await temporal?.close();
  });

  it('accepts pause, abort and rollback with 202, shows the recorded status, and applies them in order once a worker polls', async () => {
    const started = await pat().post('/campaigns', {
      spec: {
        container: 'istio-proxy',
        targetImage: NEW_ISTIO,
        selector: { entityRef: fleet.entityRef },
        strategy: { maxUnavailable: 1, bakeSeconds: 3600 },
      },
    });
    expect(started.status).toBe(201);
    const { id } = started.body as CampaignSummary;
    await awaitCampaign(
      harness,
      USERS.pat,
      id,
      d => d.status.batches.some(b => b.finishedAt !== undefined),
      'its first batch to finish',
    );
    await temporal.stopWorker();

    const asked = Date.now();
    const detail = await pat().get(`/campaigns/${id}`);
    const list = await pat().get(
      `/campaigns?entityRef=${encodeURIComponent(fleet.entityRef)}`,
    );
    console.log(
      `with no worker, detail and list answered in ${Date.now() - asked} ms`,
    );
    expect(detail.status).toBe(200);
    const recorded = detail.body as CampaignDetail;
    expect(recorded.statusSource).toBe('recorded');
    expect(recorded.worker).toMatchObject({
      polling: false,
      message: expect.stringContaining(`task queue ${temporal.taskQueue}`),
    });
    expect(recorded.phase).toBe('Running');
    expect(recorded.status.counts).toMatchObject({
      total: 3,
      upgraded: 1,
      pending: 2,
    });
    expect(recorded.allowedActions.sort()).toEqual([
      'abort',
      'pause',
      'rollback',
    ]);
    expect(list.status).toBe(200);
    expect(
      (list.body as CampaignListResponse).items.find(item => item.id === id)
        ?.counts,
    ).toMatchObject({ total: 3, upgraded: 1 });

    const before = await upgradedPods();
    expect(before).toHaveLength(1);
    for (const action of ['pause', 'abort', 'rollback'] as const) {
      const res = await pat().post(`/campaigns/${id}/${action}`, {
        reason: 'incident 42',
      });
      expect(res.status).toBe(202);
      const answer = res.body as CampaignControlResponse;
      expect(answer.control).toMatchObject({ action, outcome: 'queued' });
      expect(answer.control.message).toContain(
        `once a worker polls task queue ${temporal.taskQueue}`,
      );
    }
    expect(await upgradedPods()).toEqual(before);

    await temporal.startWorker();
    const ended = await awaitCampaign(
      harness,
      USERS.pat,
      id,
      inPhase('Completed', 'RolledBack', 'Failed', 'Aborted'),
      'to end',
    );
    expect(ended.phase).toBe('Aborted');
    const controls = ended.status.events.filter(e =>
      ['pause', 'abort', 'rollback', 'ignored'].includes(e.type),
    );
    expect(controls.map(e => [e.type, e.by])).toEqual([
      ['pause', USERS.pat],
      ['abort', USERS.pat],
      ['ignored', USERS.pat],
    ]);
    expect(controls[2]!.message).toBe(
      'rollback ignored: the campaign is already being aborted',
    );
    expect(ended.status.counts).toMatchObject({
      upgraded: 1,
      notStarted: 2,
      pending: 0,
    });
    expect(await upgradedPods()).toEqual(before);
  });

  it('says in the list when no worker has ever polled the task queue', async () => {
    const taskQueue = `never-polled-${Date.now()}`;
    const lonely = await startSidecarsBackend({
      entities: [fleet.entity],
      taskQueue,
    });
    try {
      const res = await lonely.as(USERS.pat).get('/campaigns');
      expect(res.status).toBe(200);
      expect((res.body as CampaignListResponse).worker).toEqual({
        polling: false,
        message: expect.stringContaining(
          `no worker has answered on task queue ${taskQueue} yet`,
        ),
      });
    } finally {
      await lonely.stop();
    }
  });
});
