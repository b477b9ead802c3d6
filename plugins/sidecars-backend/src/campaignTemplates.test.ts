import request from 'supertest';
import type {
  CampaignListResponse,
  CampaignTemplate,
  CampaignTemplateListResponse,
} from '@internal/plugin-sidecars-common';
import { waitFor } from '@internal/dev-stack/stack/wait';
import { campaignHarness } from '@internal/stack-tests/support/campaigns';
import { startSidecarsBackend, USERS } from './__testUtils__/harness';
import { NEW_ISTIO, OLD_ISTIO, ownedFleet } from './__testUtils__/fleets';

jest.setTimeout(240_000);

/**
 * Recurring templates on the real stack: Temporal Schedules that start campaignTemplateRun on a
 * real worker, which starts the campaign (or, following another cluster's version, skips a run
 * with nothing to do). alice owns the fleet's entity, bob does not.
 */
describe('campaign templates', () => {
  let temporal: Awaited<ReturnType<typeof campaignHarness>>;
  let harness: Awaited<ReturnType<typeof startSidecarsBackend>>;
  let fleet: Awaited<ReturnType<typeof ownedFleet>>;
  const alice = () => harness.as(USERS.alice);
  const bob = () => harness.as(USERS.bob);
  const remove = (user: string, id: string) =>
    request(harness.server)
      .delete(`/api/sidecars/campaign-templates/${id}`)
      .set('Authorization', `Bearer ${harness.tokenOf(user)}`);
  const template = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    cron: '0 2 * * 2',
    timeZone: 'UTC',
    spec: {
      container: 'istio-proxy',
      targetImage: NEW_ISTIO,
      selector: { entityRef: fleet.entityRef },
      strategy: { maxUnavailable: 1 },
    },
    ...extra,
  });
  const listed = async (id: string) => {
    const res = await alice().get('/campaign-templates');
    expect(res.status).toBe(200);
    return (res.body as CampaignTemplateListResponse).items.find(
      t => t.id === id,
    );
  };
  const lastRun = (id: string, what: string) =>
    waitFor(
      async () => {
        const run = (await listed(id))?.lastRuns[0];
        return run && run.outcome !== 'starting' ? run : undefined;
      },
      { what, timeoutMs: 30_000 },
    );

  beforeAll(async () => {
    temporal = await campaignHarness('be-templates');
    await temporal.startWorker();
    fleet = await ownedFleet('be-templates', 2);
    harness = await startSidecarsBackend({
      entities: [fleet.entity],
      taskQueue: temporal.taskQueue,
    });
  });
  afterAll(async () => {
    for (const id of ['tuesday-upgrade', 'follow-local'])
      await temporal?.client.schedule
        .getHandle(`sidecar-template-${id}`)
        .delete()
        .catch(() => undefined);
    await harness?.stop();
    await temporal?.close();
  });

  it('answers 400 naming the field for a bad cron or time zone, and 403 to a user who may not start the campaign', async () => {
    const badCron = await alice().post(
      '/campaign-templates',
      template('bad', { cron: '0 2 * *' }),
    );
    expect(badCron.status).toBe(400);
    expect(badCron.body.fields).toEqual([
      {
        field: 'cron',
        message: expect.stringMatching(/needs exactly 5/),
      },
    ]);
    const badZone = await alice().post(
      '/campaign-templates',
      template('bad', { timeZone: 'Mars/Olympus' }),
    );
    expect(badZone.body.fields).toEqual([
      { field: 'timeZone', message: expect.stringMatching(/IANA/) },
    ]);
    const badSpec = await alice().post(
      '/campaign-templates',
      template('bad', { spec: { container: 'istio-proxy' } }),
    );
    expect(badSpec.status).toBe(400);
    expect(
      (badSpec.body.fields as Array<{ field: string }>).map(f => f.field),
    ).toContain('spec.targetImage');
    const forbidden = await bob().post(
      '/campaign-templates',
      template('by bob'),
    );
    expect(forbidden.status).toBe(403);
  });

  it('a template that follows the version of a cluster skips a run when its pods already run it', async () => {
    const created = await alice().post(
      '/campaign-templates',
      template('Follow local', { targetImageFrom: { clusters: ['local'] } }),
    );
    expect(created.status).toBe(201);
    expect((created.body as CampaignTemplate).id).toBe('follow-local');
    expect(
      (await alice().post('/campaign-templates/follow-local/trigger')).status,
    ).toBe(202);
    expect(await lastRun('follow-local', 'the run to end')).toMatchObject({
      outcome: 'skipped',
      targetImage: OLD_ISTIO,
      message: `all 2 selected pod(s) already run ${OLD_ISTIO}`,
    });
  });

  it('creates, runs now, pauses and deletes a template; its run lists as a campaign with a clean id', async () => {
    const created = await alice().post(
      '/campaign-templates',
      template('Tuesday upgrade'),
    );
    expect(created.status).toBe(201);
    const body = created.body as CampaignTemplate;
    expect(body).toMatchObject({
      id: 'tuesday-upgrade',
      name: 'Tuesday upgrade',
      cron: '0 2 * * 2',
      timeZone: 'UTC',
      entityRef: fleet.entityRef,
      createdBy: USERS.alice,
      paused: false,
      mayManage: true,
      lastRuns: [],
    });
    expect(new Date(body.nextRuns[0]!).getUTCDay()).toBe(2);
    expect(body.spec.selector.labelSelector).toBe(fleet.selector);

    const duplicate = await alice().post(
      '/campaign-templates',
      template('tuesday  UPGRADE'),
    );
    expect(duplicate.status).toBe(409);

    const bobTrigger = await bob().post(
      '/campaign-templates/tuesday-upgrade/trigger',
    );
    expect(bobTrigger.status).toBe(403);
    expect((await listed('tuesday-upgrade'))?.lastRuns).toEqual([]);

    expect(
      (await alice().post('/campaign-templates/tuesday-upgrade/trigger'))
        .status,
    ).toBe(202);
    const run = await lastRun('tuesday-upgrade', 'the run to start a campaign');
    expect(run.outcome).toBe('started');
    expect(run.campaignId).toMatch(/^istio-proxy-1-23-1-[0-9a-f]{6}$/);
    const campaigns = await alice().get(
      `/campaigns?entityRef=${encodeURIComponent(fleet.entityRef)}`,
    );
    expect(
      (campaigns.body as CampaignListResponse).items.find(
        c => c.id === run.campaignId,
      ),
    ).toMatchObject({
      targetImage: NEW_ISTIO,
      entityRef: fleet.entityRef,
      createdBy: USERS.alice,
    });

    const paused = await alice().post(
      '/campaign-templates/tuesday-upgrade/pause',
    );
    expect(paused.status).toBe(202);
    expect(paused.body).toMatchObject({ paused: true, nextRuns: [] });
    const described = await temporal.client.schedule
      .getHandle('sidecar-template-tuesday-upgrade')
      .describe();
    expect(described.state).toMatchObject({
      paused: true,
      note: `paused by ${USERS.alice}`,
    });
    expect(
      (await alice().post('/campaign-templates/tuesday-upgrade/unpause')).body,
    ).toMatchObject({ paused: false });

    expect((await remove(USERS.bob, 'tuesday-upgrade')).status).toBe(403);
    expect((await remove(USERS.alice, 'tuesday-upgrade')).status).toBe(204);
    expect(await listed('tuesday-upgrade')).toBeUndefined();
    expect((await remove(USERS.alice, 'tuesday-upgrade')).status).toBe(404);
  });
});
