import type {
  CampaignDetail,
  CampaignPhase,
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
import {
  forgeClaims,
  signInAsDemoUser,
  unsignedToken,
} from './__testUtils__/signIn';
import { workflowsOnQueue } from './__testUtils__/temporal';

jest.setTimeout(240_000);

const ENTITY_MANAGE = 'sidecars.campaign.entity.manage';
const FLEET_MANAGE = 'sidecars.fleet.manage';
const CONTROLS = ['pause', 'resume', 'rollback', 'abort', 'approve'] as const;

/**
 * The permission matrix with the sample policy, every request carrying a token the real auth
 * backend issued at sign-in (demo provider → catalog → user and groups), every decision taken by
 * the real permission backend (catalog ownership for the conditional entity permission). alice
 * (team-payments) owns both test entities, bob (team-checkout) owns neither, pat is in
 * platform-team.
 */
describe('permissions through real sign-in', () => {
  let temporal: Awaited<ReturnType<typeof campaignHarness>>;
  let harness: Awaited<ReturnType<typeof startSidecarsBackend>>;
  let fleetA: Awaited<ReturnType<typeof ownedFleet>>;
  let fleetC: Awaited<ReturnType<typeof ownedFleet>>;
  const started: string[] = [];

  const inAnHour = () => ({
    notBefore: new Date(Date.now() + 3_600_000).toISOString(),
  });
  /** One pod per batch and an hour's bake after each, so a started campaign stays Running until told otherwise. */
  const entitySpec = (
    fleet: typeof fleetA,
    schedule?: { notBefore: string },
  ) => ({
    spec: {
      container: 'istio-proxy',
      targetImage: NEW_ISTIO,
      selector: { entityRef: fleet.entityRef },
      ...(schedule && { schedule }),
      strategy: { maxUnavailable: 1, bakeSeconds: 3600 },
    },
  });
  const fleetWideSpec = () => ({
    spec: {
      container: 'istio-proxy',
      targetImage: NEW_ISTIO,
      selector: { fleetWide: true },
      schedule: inAnHour(),
    },
  });

  async function start(user: string, body: object): Promise<string> {
    const res = await harness.as(user).post('/campaigns', body);
    expect(res.status).toBe(201);
    const { id } = res.body as CampaignSummary;
    started.push(id);
    return id;
  }
  /** Sends the control as the user, expects it accepted and the campaign then to reach the phase. */
  async function expectControl(
    user: string,
    id: string,
    action: (typeof CONTROLS)[number],
    then: CampaignPhase,
  ) {
    const res = await harness
      .as(user)
      .post(`/campaigns/${id}/${action}`, { reason: `${action} by ${user}` });
    expect({ action, status: res.status }).toEqual({ action, status: 202 });
    await awaitCampaign(
      harness,
      user,
      id,
      inPhase(then),
      `${action} to take it to ${then}`,
    );
  }
  function expectForbidden(
    res: { status: number; body: unknown },
    permission: string,
  ) {
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      error: { name: 'NotAllowedError' },
      permission,
    });
  }

  beforeAll(async () => {
    temporal = await campaignHarness('permissions');
    await temporal.startWorker();
    fleetA = await ownedFleet('be-perm-a', 2);
    fleetC = await ownedFleet('be-perm-c', 2);
    harness = await startSidecarsBackend({
      entities: [fleetA.entity, fleetC.entity],
      taskQueue: temporal.taskQueue,
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await temporal?.close();
  });

  it('signs each demo user in with the groups the catalog gives them, and no one else', async () => {
    expect(
      (
        await signInAsDemoUser(harness.server, 'alice')
      ).ownershipEntityRefs.sort(),
    ).toEqual(['group:default/team-payments', USERS.alice]);
    expect(
      (
        await signInAsDemoUser(harness.server, 'pat')
      ).ownershipEntityRefs.sort(),
    ).toEqual(['group:default/platform-team', USERS.pat]);
    await expect(signInAsDemoUser(harness.server, 'mallory')).rejects.toThrow(
      /answered 403.*mallory.* is not a demo user/,
    );
    await expect(signInAsDemoUser(harness.server, '')).rejects.toThrow(
      /answered 401.*missing the x-demo-user header/,
    );
  });

  it('plan: owners and the platform admin plan entity campaigns; only the platform admin plans fleet-wide', async () => {
    expect(
      (
        await harness
          .as(USERS.alice)
          .post('/campaigns/plan', entitySpec(fleetA))
      ).status,
    ).toBe(200);
    expect(
      (await harness.as(USERS.pat).post('/campaigns/plan', entitySpec(fleetA)))
        .status,
    ).toBe(200);
    expectForbidden(
      await harness.as(USERS.bob).post('/campaigns/plan', entitySpec(fleetA)),
      ENTITY_MANAGE,
    );
    expectForbidden(
      await harness.as(USERS.alice).post('/campaigns/plan', fleetWideSpec()),
      FLEET_MANAGE,
    );
    expect(
      (await harness.as(USERS.pat).post('/campaigns/plan', fleetWideSpec()))
        .status,
    ).toBe(200);
  });

  it("start: a non-owner may not start for the entity (owners do, below); a literal fleetWide start is the platform admin's alone", async () => {
    const bobStart = await harness
      .as(USERS.bob)
      .post('/campaigns', entitySpec(fleetA));
    expectForbidden(bobStart, ENTITY_MANAGE);
    expect(bobStart.body.error.message).toContain(fleetA.entityRef);
    expectForbidden(
      await harness.as(USERS.alice).post('/campaigns', fleetWideSpec()),
      FLEET_MANAGE,
    );
    expectForbidden(
      await harness.as(USERS.bob).post('/campaigns', fleetWideSpec()),
      FLEET_MANAGE,
    );

    const fleetWide = await start(USERS.pat, fleetWideSpec());
    expectForbidden(
      await harness.as(USERS.alice).post(`/campaigns/${fleetWide}/pause`),
      FLEET_MANAGE,
    );
    expectForbidden(
      await harness.as(USERS.bob).post(`/campaigns/${fleetWide}/abort`),
      FLEET_MANAGE,
    );
    // Aborted while still Scheduled, so it never claims a pod of the shared cluster.
    await expectControl(USERS.pat, fleetWide, 'abort', 'Aborted');
  });

  it('a user who may not control a campaign hears 403 before any 409', async () => {
    const id = await start(USERS.alice, entitySpec(fleetA, inAnHour()));
    const owner = await awaitCampaign(
      harness,
      USERS.alice,
      id,
      inPhase('Scheduled'),
      'scheduled',
    );
    expect(owner.allowedActions.sort()).toEqual(['abort', 'pause']);
    expect(
      (
        (await harness.as(USERS.bob).get(`/campaigns/${id}`))
          .body as CampaignDetail
      ).allowedActions,
    ).toEqual([]);
    // resume and rollback do not apply to a Scheduled campaign: its owner hears 409, bob 403.
    expect(
      (await harness.as(USERS.alice).post(`/campaigns/${id}/resume`)).status,
    ).toBe(409);
    expect(
      (await harness.as(USERS.alice).post(`/campaigns/${id}/rollback`)).status,
    ).toBe(409);
    for (const action of CONTROLS)
      expectForbidden(
        await harness.as(USERS.bob).post(`/campaigns/${id}/${action}`),
        ENTITY_MANAGE,
      );

    await expectControl(USERS.alice, id, 'abort', 'Aborted');
    expect(
      (await harness.as(USERS.alice).post(`/campaigns/${id}/pause`)).status,
    ).toBe(409);
    for (const action of CONTROLS)
      expectForbidden(
        await harness.as(USERS.bob).post(`/campaigns/${id}/${action}`),
        ENTITY_MANAGE,
      );
  });

  it('the owner pauses, resumes and rolls back their running campaign; the non-owner may not touch it', async () => {
    const id = await start(USERS.alice, entitySpec(fleetA));
    await expectControl(USERS.alice, id, 'pause', 'Paused');
    for (const action of CONTROLS)
      expectForbidden(
        await harness.as(USERS.bob).post(`/campaigns/${id}/${action}`),
        ENTITY_MANAGE,
      );
    await expectControl(USERS.alice, id, 'resume', 'Running');
    await expectControl(USERS.alice, id, 'rollback', 'RolledBack');
  });

  it('a wave gate waits for approval: only a user who may manage the campaign approves it', async () => {
    const plain = await start(USERS.alice, entitySpec(fleetC, inAnHour()));
    const refused = await harness
      .as(USERS.alice)
      .post(`/campaigns/${plain}/approve`);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain(
      'no wave gate waits for approval',
    );
    await expectControl(USERS.alice, plain, 'abort', 'Aborted');

    const id = await start(USERS.alice, {
      spec: {
        ...entitySpec(fleetA).spec,
        strategy: { maxUnavailable: 1 },
        waves: [
          { name: 'first', clusters: ['local'] },
          { name: 'second', clusters: ['local'], gate: { approval: true } },
        ],
      },
    });
    const gated = await awaitCampaign(
      harness,
      USERS.alice,
      id,
      d => d.status.waves?.[1]?.gate?.state === 'awaiting-approval',
      'wave "second" to wait for approval',
    );
    expect(gated.phase).toBe('Paused');
    expect(gated.allowedActions).toContain('approve');
    expect(gated.allowedActions).not.toContain('resume');
    const resumed = await harness
      .as(USERS.alice)
      .post(`/campaigns/${id}/resume`);
    expect(resumed.status).toBe(409);
    expect(JSON.stringify(resumed.body)).toContain(
      'waits for approval, not for a resume',
    );
    expect(
      (
        (await harness.as(USERS.bob).get(`/campaigns/${id}`))
          .body as CampaignDetail
      ).allowedActions,
    ).toEqual([]);
    expectForbidden(
      await harness.as(USERS.bob).post(`/campaigns/${id}/approve`),
      ENTITY_MANAGE,
    );
    await expectControl(USERS.alice, id, 'approve', 'Completed');
    const done = (await harness.as(USERS.alice).get(`/campaigns/${id}`))
      .body as CampaignDetail;
    expect(done.status.waves?.[1]?.gate?.approvedBy).toBe(USERS.alice);
    expect(done.status.counts.upgraded).toBe(2);
  });

  it('the platform admin pauses, resumes, rolls back and aborts campaigns of others', async () => {
    const rolled = await start(USERS.alice, entitySpec(fleetC));
    await expectControl(USERS.pat, rolled, 'pause', 'Paused');
    await expectControl(USERS.pat, rolled, 'resume', 'Running');
    await expectControl(USERS.pat, rolled, 'rollback', 'RolledBack');
    const aborted = await start(USERS.alice, entitySpec(fleetC, inAnHour()));
    await expectControl(USERS.pat, aborted, 'abort', 'Aborted');
  });

  it('everyone signed in reads the fleet view and the campaigns; anonymous gets 401 everywhere', async () => {
    for (const user of Object.values(USERS)) {
      expect(
        (await harness.as(user).get('/inventory/fleet?container=istio-proxy'))
          .status,
      ).toBe(200);
      expect((await harness.as(user).get('/campaigns')).status).toBe(200);
    }
    const anonymous = harness.as(undefined);
    const id = started[0];
    const answers = await Promise.all([
      anonymous.get(`/inventory?entityRef=${fleetA.entityRef}`),
      anonymous.get('/inventory/fleet?container=istio-proxy'),
      anonymous.post('/campaigns/plan', entitySpec(fleetA)),
      anonymous.post('/campaigns', entitySpec(fleetA, inAnHour())),
      anonymous.get('/campaigns'),
      anonymous.get(`/campaigns/${id}`),
      ...CONTROLS.map(action => anonymous.post(`/campaigns/${id}/${action}`)),
    ]);
    expect(answers.map(a => a.status)).toEqual(answers.map(() => 401));
  });

  it('forged tokens get 401: alice posing as pat, an unsigned token, garbage', async () => {
    const posingAsPat = forgeClaims(harness.tokenOf(USERS.alice), {
      sub: USERS.pat,
      ent: [USERS.pat, 'group:default/platform-team'],
    });
    const unsigned = unsignedToken({
      sub: USERS.pat,
      ent: [USERS.pat, 'group:default/platform-team'],
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    for (const token of [posingAsPat, unsigned, 'not-a-token']) {
      const forged = harness.withToken(token);
      const answers = await Promise.all([
        forged.post('/campaigns', fleetWideSpec()),
        forged.post('/campaigns/plan', fleetWideSpec()),
        forged.get('/campaigns'),
      ]);
      expect(answers.map(a => a.status)).toEqual([401, 401, 401]);
    }
  });

  it('started exactly the permitted campaigns', async () => {
    expect(started).toHaveLength(7);
    expect(await workflowsOnQueue(temporal.taskQueue)).toBe(started.length);
  });
});
