import type {
  CampaignDetail,
  CampaignListResponse,
  CampaignSummary,
  PlanResponse,
} from '@internal/plugin-sidecars-common';
import { campaignHarness } from '@internal/stack-tests/support/campaigns';
import { waitFor } from '@internal/dev-stack/stack/wait';
import { listPods, testCluster } from '@internal/stack-tests/support/cluster';
import { startSidecarsBackend, USERS } from './__testUtils__/harness';
import {
  awaitCampaign,
  declaredFleet,
  inPhase,
  NEW_ISTIO,
  OLD_ISTIO,
  ownedFleet,
} from './__testUtils__/fleets';

jest.setTimeout(240_000);

describe('campaigns through the API', () => {
  let temporal: Awaited<ReturnType<typeof campaignHarness>>;
  let harness: Awaited<ReturnType<typeof startSidecarsBackend>>;
  let fleet: Awaited<ReturnType<typeof ownedFleet>>;
  let declared: Awaited<ReturnType<typeof declaredFleet>>;
  const alice = () => harness.as(USERS.alice);
  const pat = () => harness.as(USERS.pat);

  const entitySpec = (extra: Record<string, unknown> = {}) => ({
    container: 'istio-proxy',
    targetImage: NEW_ISTIO,
    selector: { entityRef: fleet.entityRef },
    ...extra,
  });

  beforeAll(async () => {
    temporal = await campaignHarness('backend');
    await temporal.startWorker();
    [fleet, declared] = await Promise.all([
      ownedFleet('be-campaigns', 4),
      declaredFleet('be-declared'),
    ]);
    harness = await startSidecarsBackend({
      entities: [fleet.entity],
      taskQueue: temporal.taskQueue,
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await temporal?.close();
  });

  it("plans an entity campaign with the worker's batches, and names the fix for pods in the wrong mode", async () => {
    const res = await alice().post('/campaigns/plan', {
      spec: entitySpec({ strategy: { maxUnavailable: 2 } }),
    });
    expect(res.status).toBe(200);
    const plan = res.body as PlanResponse;
    expect(plan.spec.selector).toMatchObject({
      entityRef: fleet.entityRef,
      labelSelector: 'app=fleet',
      namespaces: [fleet.namespace],
    });
    expect(plan.totalPods).toBe(4);
    expect(plan.maxUnavailable).toBe(2);
    expect(plan.batches.map(b => b.pods.length)).toEqual([2, 2]);
    expect(
      plan.batches
        .flatMap(b => b.pods)
        .every(key => key.startsWith(`local/${fleet.namespace}/`)),
    ).toBe(true);
    expect(plan.skipped).toEqual([]);

    const wrongMode = await pat().post('/campaigns/plan', {
      spec: {
        container: 'istio-proxy',
        targetImage: NEW_ISTIO,
        selector: { namespaces: [declared.namespace] },
      },
    });
    expect(wrongMode.status).toBe(200);
    const body = wrongMode.body as PlanResponse;
    expect(body.batches).toEqual([]);
    expect(body.skipped).toHaveLength(2);
    expect(body.skipped[0]!.reason).toMatch(
      /declared in Deployment .*declared's pod template.*mode "workload"/,
    );
    expect(body.warnings.join('\n')).toMatch(/set mode to "workload"/);

    const workload = (
      await pat().post('/campaigns/plan', {
        spec: {
          container: 'istio-proxy',
          targetImage: NEW_ISTIO,
          mode: 'workload',
          selector: { namespaces: [declared.namespace] },
        },
      })
    ).body as PlanResponse;
    expect(workload.batches).toEqual([
      {
        index: 0,
        pods: [`local/${declared.namespace}/declared`],
        canary: false,
      },
    ]);
    expect(workload.totalPods).toBe(2);

    const injectedInWorkloadMode = (
      await alice().post('/campaigns/plan', {
        spec: entitySpec({ mode: 'workload' }),
      })
    ).body as PlanResponse;
    expect(injectedInWorkloadMode.batches).toEqual([]);
    expect(injectedInWorkloadMode.skipped[0]!.reason).toMatch(
      /injected at admission\): use mode "in-place"/,
    );
  });

  it('starts, pauses, resumes and rolls back a campaign, recording who did what', async () => {
    const started = await alice().post('/campaigns', {
      spec: entitySpec({ strategy: { maxUnavailable: 1, bakeSeconds: 15 } }),
    });
    expect(started.status).toBe(201);
    const summary = started.body as CampaignSummary;
    expect(summary.id).toMatch(/^istio-proxy-1-23-1-[0-9a-f]{6}$/);
    expect(summary).toMatchObject({
      container: 'istio-proxy',
      targetImage: NEW_ISTIO,
      entityRef: fleet.entityRef,
      createdBy: USERS.alice,
    });
    const { id } = summary;

    const running = await awaitCampaign(
      harness,
      USERS.alice,
      id,
      d => d.phase === 'Running' && d.status.batches.length > 0,
      'running its first batch',
    );
    expect(running.temporalUiUrl).toBe(
      `${process.env.TEMPORAL_UI_URL}/namespaces/${process.env.TEMPORAL_NAMESPACE ?? 'default'}/workflows/${id}`,
    );
    expect(running.allowedActions.sort()).toEqual([
      'abort',
      'pause',
      'rollback',
    ]);

    // A second plan over the same pods sees them held by this campaign.
    const overlap = (
      await alice().post('/campaigns/plan', { spec: entitySpec() })
    ).body as PlanResponse;
    expect(overlap.warnings.join('\n')).toContain(
      `held by the running campaign ${id}`,
    );

    const paused = await alice().post(`/campaigns/${id}/pause`, {
      reason: 'error rate up',
    });
    expect(paused.status).toBe(202);
    expect((paused.body as CampaignDetail).status.events).toContainEqual(
      expect.objectContaining({
        type: 'pause',
        by: USERS.alice,
        message: expect.stringContaining('error rate up'),
      }),
    );
    await awaitCampaign(harness, USERS.alice, id, inPhase('Paused'), 'paused');

    const again = await alice().post(`/campaigns/${id}/pause`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(
      /while it is Paused: pause applies only while it is Scheduled or Running/,
    );

    const resumed = await alice().post(`/campaigns/${id}/resume`, {
      reason: 'false alarm',
    });
    expect(resumed.status).toBe(202);
    await awaitCampaign(
      harness,
      USERS.alice,
      id,
      inPhase('Running', 'Completed'),
      'running again',
    );
    expect((await alice().post(`/campaigns/${id}/resume`)).status).toBe(409);

    const rolledBack = await pat().post(`/campaigns/${id}/rollback`, {
      reason: 'platform decision',
    });
    expect(rolledBack.status).toBe(202);
    const done = await awaitCampaign(
      harness,
      USERS.alice,
      id,
      inPhase('RolledBack'),
      'rolled back',
    );
    expect(done.allowedActions).toEqual([]);
    const trail = done.status.events.map(e => [e.type, e.by]);
    expect(trail).toEqual(
      expect.arrayContaining([
        ['created', USERS.alice],
        ['pause', USERS.alice],
        ['resume', USERS.alice],
        ['rollback', USERS.pat],
      ]),
    );
    expect(done.status.counts.rolledBack).toBeGreaterThan(0);

    const late = await alice().post(`/campaigns/${id}/abort`);
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/has ended/);
  });

  it("counts a rolling window's pods while it runs, from the worker's heartbeat", async () => {
    const rolled = await ownedFleet('be-progress', 10);
    const started = await pat().post('/campaigns', {
      spec: {
        container: 'istio-proxy',
        targetImage: NEW_ISTIO,
        selector: { namespaces: [rolled.namespace] },
        strategy: { maxUnavailable: 1, pacing: 'rolling' },
      },
    });
    expect(started.status).toBe(201);
    const { id } = started.body as CampaignSummary;

    // The whole campaign is one window, which the workflow counts only when it ends.
    const midWindow = await awaitCampaign(
      harness,
      USERS.pat,
      id,
      d =>
        d.status.activity?.progress.stage === 'rolling' &&
        d.status.counts.upgraded > 0 &&
        d.status.batches.length === 0,
      'upgrading pods in its first window',
    );
    expect(midWindow.status.counts).toMatchObject({ total: 10, skipped: 0 });
    expect(midWindow.status.counts.pending).toBe(
      10 - midWindow.status.counts.upgraded - midWindow.status.counts.failed,
    );
    expect(midWindow.status.totalBatches).toBe(10);
    const progress = midWindow.status.activity!.progress;
    expect(progress).toMatchObject({ fromBatch: 0, toBatch: 10 });
    expect(
      progress.stage === 'rolling' && progress.inFlight,
    ).toBeLessThanOrEqual(1);

    const done = await awaitCampaign(
      harness,
      USERS.pat,
      id,
      inPhase('Completed'),
      'completed',
    );
    expect(done.status.counts).toMatchObject({
      total: 10,
      upgraded: 10,
      pending: 0,
    });
    expect(done.status.activity).toBeUndefined();
  });

  it('aborts a scheduled campaign', async () => {
    const notBefore = new Date(Date.now() + 3_600_000).toISOString();
    const started = await alice().post('/campaigns', {
      spec: entitySpec({ schedule: { notBefore } }),
    });
    expect(started.status).toBe(201);
    const { id } = started.body as CampaignSummary;
    const scheduled = await awaitCampaign(
      harness,
      USERS.alice,
      id,
      inPhase('Scheduled'),
      'scheduled',
    );
    expect(scheduled.allowedActions.sort()).toEqual(['abort', 'pause']);
    const aborted = await alice().post(`/campaigns/${id}/abort`, {
      reason: 'not this week',
    });
    expect(aborted.status).toBe(202);
    const done = await awaitCampaign(
      harness,
      USERS.alice,
      id,
      inPhase('Aborted'),
      'aborted',
    );
    expect(done.status.events).toContainEqual(
      expect.objectContaining({ type: 'abort', by: USERS.alice }),
    );
  });

  it('rolls back a completed campaign during its rollback window', async () => {
    const started = await alice().post('/campaigns', {
      spec: entitySpec({
        strategy: { maxUnavailable: '100%', rollbackWindowSeconds: 120 },
      }),
    });
    expect(started.status).toBe(201);
    const { id } = started.body as CampaignSummary;
    const completed = await awaitCampaign(
      harness,
      USERS.alice,
      id,
      inPhase('Completed'),
      'completed',
    );
    expect(completed.counts).toMatchObject({ upgraded: 4 });
    expect(completed.allowedActions).toEqual(['rollback']);
    expect((await alice().post(`/campaigns/${id}/rollback`)).status).toBe(202);
    await awaitCampaign(
      harness,
      USERS.alice,
      id,
      inPhase('RolledBack'),
      'rolled back after completion',
    );
  });

  it('lists campaigns by entity, phase and container, page by page', async () => {
    const list = (query: string) => alice().get(`/campaigns?${query}`);
    const all = await waitFor(
      async () => {
        const body = (await list(`entityRef=${fleet.entityRef}&pageSize=100`))
          .body as CampaignListResponse;
        return (
          body.items.length >= 3 &&
          body.items.every(i => ['RolledBack', 'Aborted'].includes(i.phase)) &&
          body
        );
      },
      {
        what: 'the campaigns to show up settled in visibility',
        timeoutMs: 30_000,
        intervalMs: 300,
      },
    );
    expect(
      all.items.every(
        i => i.entityRef === fleet.entityRef && i.container === 'istio-proxy',
      ),
    ).toBe(true);

    const first = (await list(`entityRef=${fleet.entityRef}&pageSize=2`))
      .body as CampaignListResponse;
    expect(first.items).toHaveLength(2);
    expect(first.nextPageToken).toEqual(expect.any(String));
    const second = (
      await list(
        `entityRef=${fleet.entityRef}&pageSize=2&nextPageToken=${first.nextPageToken}`,
      )
    ).body as CampaignListResponse;
    expect(second.items.length).toBeGreaterThanOrEqual(1);
    expect(second.items.map(i => i.id)).not.toContain(first.items[0]!.id);

    const aborted = (await list('phase=Aborted')).body as CampaignListResponse;
    expect(aborted.items.length).toBe(1);
    expect((await list('container=fluent-bit')).body.items).toEqual([]);
    expect(
      (await list('entityRef=component:default/someone-else')).body.items,
    ).toEqual([]);
  });

  it('answers 404 for an unknown campaign', async () => {
    expect(
      (await alice().get('/campaigns/istio-proxy-0-0-0-000000')).status,
    ).toBe(404);
    expect(
      (await alice().post('/campaigns/istio-proxy-0-0-0-000000/pause')).status,
    ).toBe(404);
  });

  it('leaves pods where they were after the rollbacks', async () => {
    const pods = await listPods(testCluster(), fleet.namespace, fleet.selector);
    expect(
      pods.map(
        p => p.spec!.containers.find(c => c.name === 'istio-proxy')!.image,
      ),
    ).toEqual(pods.map(() => OLD_ISTIO));
  });
});
