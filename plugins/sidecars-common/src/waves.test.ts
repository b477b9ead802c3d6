import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidLabelValue } from './kubernetesNames';
import { parseCampaignSpec } from './spec';
import { laneSpecOf, laneWorkflowId } from './waves';

describe('laneWorkflowId', () => {
  it('names the campaign, the wave and the cluster', () => {
    assert.equal(
      laneWorkflowId('istio-proxy-1-24-2-3f9a2c', 1, 'prod-eu-1'),
      'istio-proxy-1-24-2-3f9a2c-w2-prod-eu-1',
    );
  });

  it('stays a distinct valid label value for long or unusual cluster names', () => {
    const id = 'otel-collector-0-114-0-contrib-with-a-long-tag-3f9a2c';
    const a = laneWorkflowId(id, 0, 'Prod EU/West 1 (primary)');
    const b = laneWorkflowId(id, 0, 'Prod EU/West 1 (secondary)');
    assert.ok(isValidLabelValue(a), a);
    assert.ok(isValidLabelValue(b), b);
    assert.notEqual(a, b);
  });
});

describe('laneSpecOf', () => {
  const parsed = parseCampaignSpec({
    container: 'istio-proxy',
    targetImage: 'docker.io/istio/proxyv2:1.24.2',
    selector: { namespaces: ['payments'], labelSelector: 'app=web' },
    strategy: { maxUnavailable: 2, failureBudget: 0 },
    waves: [
      { name: 'staging', clusters: ['staging-1'] },
      {
        name: 'prod',
        clusters: ['prod-eu', 'prod-us'],
        namespaces: ['payments', 'checkout'],
        strategy: { maxUnavailable: '25%' },
        gate: { approval: true },
      },
    ],
  });
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.errors));
  const spec = parsed.spec;

  it("narrows the campaign's selector to one cluster and the wave's selection, with the wave's settings", () => {
    const lane = laneSpecOf(spec, spec.waves![1]!, 'prod-us');
    assert.equal(lane.waves, undefined);
    assert.deepEqual(lane.selector, {
      namespaces: ['payments', 'checkout'],
      labelSelector: 'app=web',
      clusters: ['prod-us'],
    });
    assert.equal(lane.strategy.maxUnavailable, '25%');
    assert.equal(lane.strategy.failureBudget, 0);
    assert.ok(parseCampaignSpec(lane).ok, 'a lane spec is a valid spec');
  });

  it("keeps the campaign's selection where the wave sets none", () => {
    const lane = laneSpecOf(spec, spec.waves![0]!, 'staging-1');
    assert.deepEqual(lane.selector.namespaces, ['payments']);
    assert.equal(lane.strategy.maxUnavailable, 2);
  });
});
