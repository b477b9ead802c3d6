import type { CampaignDetail, CampaignSummary } from '@internal/plugin-sidecars-common';
import { campaignHarness } from '@internal/stack-tests/support/campaigns';
import { startSidecarsBackend, USERS } from './testing/harness';
import { awaitCampaign, inPhase, NEW_ISTIO, ownedFleet } from './testing/fleets';
import { workflowsOnQueue } from './testing/temporal';

jest.setTimeout(180_000);

/** The permission matrix with the local stack's sample policy: alice owns the fleet's entity (team-payments), bob does not, pat is in platform-team. */
describe('permissions', () => {
  let temporal: Awaited<ReturnType<typeof campaignHarness>>;
  let harness: Awaited<ReturnType<typeof startSidecarsBackend>>;
  let fleet: Awaited<ReturnType<typeof ownedFleet>>;
  let aliceCampaign: string;

  const entitySpec = () => ({
    spec: { container: 'istio-proxy', targetImage: NEW_ISTIO, selector: { entityRef: fleet.entityRef }, schedule: { notBefore: new Date(Date.now() + 3_600_000).toISOString() } },
  });
  const namespaceSpec = () => ({
    spec: { container: 'istio-proxy', targetImage: NEW_ISTIO, selector: { namespaces: [fleet.namespace] }, schedule: { notBefore: new Date(Date.now() + 3_600_000).toISOString() } },
  });

  beforeAll(async () => {
    temporal = await campaignHarness('permissions');
    await temporal.startWorker();
    fleet = await ownedFleet('be-permissions', 2);
    harness = await startSidecarsBackend({ entities: [fleet.entity], taskQueue: temporal.taskQueue });
  });
  afterAll(async () => {
    await harness?.stop();
    await temporal?.close();
  });

  it('owner: starts and controls the entity\'s campaigns, but not fleet campaigns', async () => {
    const alice = harness.as(USERS.alice);
    expect((await alice.get(`/inventory?entityRef=${fleet.entityRef}`)).status).toBe(200);
    expect((await alice.post('/campaigns/plan', entitySpec())).status).toBe(200);
    const started = await alice.post('/campaigns', entitySpec());
    expect(started.status).toBe(201);
    aliceCampaign = (started.body as CampaignSummary).id;
    const detail = await awaitCampaign(harness, USERS.alice, aliceCampaign, inPhase('Scheduled'), 'scheduled');
    expect(detail.allowedActions.sort()).toEqual(['abort', 'pause']);

    const fleetWide = await alice.post('/campaigns', namespaceSpec());
    expect(fleetWide.status).toBe(403);
    expect(fleetWide.body).toMatchObject({ error: { name: 'NotAllowedError' }, permission: 'sidecars.fleet.manage' });
    expect((await alice.post('/campaigns/plan', namespaceSpec())).status).toBe(403);
  });

  it('non-owner: reads, but may neither start nor control the entity\'s campaigns', async () => {
    const bob = harness.as(USERS.bob);
    expect((await bob.get(`/inventory?entityRef=${fleet.entityRef}`)).status).toBe(200);
    expect((await bob.get('/campaigns')).status).toBe(200);
    const detail = (await bob.get(`/campaigns/${aliceCampaign}`)).body as CampaignDetail;
    expect(detail.allowedActions).toEqual([]);

    const start = await bob.post('/campaigns', entitySpec());
    expect(start.status).toBe(403);
    expect(start.body).toMatchObject({ error: { name: 'NotAllowedError' }, permission: 'sidecars.campaign.entity.manage' });
    expect(start.body.error.message).toContain(fleet.entityRef);
    expect((await bob.post('/campaigns/plan', entitySpec())).status).toBe(403);
    expect((await bob.post('/campaigns', namespaceSpec())).body.permission).toBe('sidecars.fleet.manage');

    const pause = await bob.post(`/campaigns/${aliceCampaign}/pause`);
    expect(pause.status).toBe(403);
    expect(pause.body.permission).toBe('sidecars.campaign.entity.manage');
  });

  it('platform admin: starts fleet campaigns and controls anyone\'s', async () => {
    const pat = harness.as(USERS.pat);
    const started = await pat.post('/campaigns', namespaceSpec());
    expect(started.status).toBe(201);
    const patCampaign = (started.body as CampaignSummary).id;
    expect((started.body as CampaignSummary).entityRef).toBeUndefined();
    expect((await pat.get(`/campaigns/${aliceCampaign}`)).body.allowedActions.sort()).toEqual(['abort', 'pause']);
    expect((await pat.post(`/campaigns/${aliceCampaign}/abort`, { reason: 'platform freeze' })).status).toBe(202);
    expect((await pat.post(`/campaigns/${patCampaign}/abort`)).status).toBe(202);
    // The owner cannot control a campaign that is not bound to their entity.
    expect((await harness.as(USERS.alice).post(`/campaigns/${patCampaign}/pause`)).status).toBe(403);
  });

  it('anonymous: 401 everywhere', async () => {
    const anonymous = harness.as(undefined);
    const answers = await Promise.all([
      anonymous.get(`/inventory?entityRef=${fleet.entityRef}`),
      anonymous.get('/inventory/fleet?container=istio-proxy'),
      anonymous.post('/campaigns/plan', entitySpec()),
      anonymous.post('/campaigns', entitySpec()),
      anonymous.get('/campaigns'),
      anonymous.get(`/campaigns/${aliceCampaign}`),
      anonymous.post(`/campaigns/${aliceCampaign}/pause`),
    ]);
    expect(answers.map(a => a.status)).toEqual(answers.map(() => 401));
  });

  it('started exactly the two permitted campaigns', async () => {
    expect(await workflowsOnQueue(temporal.taskQueue)).toBe(2);
  });
});
