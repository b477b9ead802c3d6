import type {
  ApiErrorBody,
  PlanFingerprint,
  PlanResponse,
} from '@internal/plugin-sidecars-common';
import { FAKE_ENTITY_REF, routerWithFakes } from '../__testUtils__/routerFakes';

describe('the plan a user approved travels with the start', () => {
  const spec = {
    container: 'istio-proxy',
    targetImage: 'docker.io/istio/proxyv2:1.23.1',
    selector: { entityRef: FAKE_ENTITY_REF },
  };

  it('passes the preview’s fingerprint to the campaign, or the start-time plan’s when none is sent', async () => {
    const { client, auth, starts } = routerWithFakes();
    const preview = (
      await client().post('/campaigns/plan').set(auth).send({ spec })
    ).body as PlanResponse;
    const approved: PlanFingerprint = {
      ...preview.fingerprint,
      selectedPods: preview.fingerprint.selectedPods + 1,
    };

    expect(
      (
        await client()
          .post('/campaigns')
          .set(auth)
          .send({ spec, previewedPlan: approved })
      ).status,
    ).toBe(201);
    expect(
      (await client().post('/campaigns').set(auth).send({ spec })).status,
    ).toBe(201);
    expect(starts.map(s => s.previewedPlan)).toEqual([
      approved,
      preview.fingerprint,
    ]);
  });

  it('rejects a previewedPlan that is not a plan fingerprint, naming the field and the fix', async () => {
    const { client, auth, starts } = routerWithFakes();
    const res = await client()
      .post('/campaigns')
      .set(auth)
      .send({
        spec,
        previewedPlan: {
          clusters: ['local'],
          selectedPods: -1,
          targets: 2,
          skipped: 0,
          partitioned: 0,
          batchSizes: '1×2',
        },
      });
    expect(res.status).toBe(400);
    const body = res.body as ApiErrorBody;
    expect(body.fields).toEqual([
      {
        field: 'previewedPlan.selectedPods',
        message: expect.stringContaining(
          'send back the "fingerprint" of the plan preview',
        ),
      },
    ]);
    expect(starts).toEqual([]);
  });
});
