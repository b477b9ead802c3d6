import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  describePlanChange,
  parseCampaignSpec,
  type CampaignSpec,
} from '@internal/plugin-sidecars-common';
import { discoverTargets } from './discovery';
import { UnresolvedEntityError } from './entitySelection';
import { planFingerprint, planTargets } from './plan';
import { FakeClusterReader } from './__testUtils__/fakeClusterReader';

const OLD = 'registry.example.com/proxy:1.0.0';
const NEW = 'registry.example.com/proxy:1.1.0';
const proxy = (image = OLD) => ({ name: 'proxy', image });
const app = { name: 'app', image: 'registry.example.com/app:1' };

function spec(input: Record<string, unknown>): CampaignSpec {
  const parsed = parseCampaignSpec({
    container: 'proxy',
    targetImage: NEW,
    selector: { labelSelector: 'tier=web' },
    ...input,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.spec;
}

async function plan(s: CampaignSpec, ...readers: FakeClusterReader[]) {
  const discoveries = [];
  for (const reader of readers)
    discoveries.push(await discoverTargets(s, reader));
  return planTargets(s, discoveries);
}

const web = { tier: 'web' };

describe('discovery in mode in-place', () => {
  it('takes injected sidecars and says why it leaves each other pod alone', async () => {
    const c = new FakeClusterReader('eu');
    c.addPod('ok', { labels: web, containers: [app, proxy()] });
    c.addPod('no-proxy', { labels: web, containers: [app] });
    c.addPod('on-target', { labels: web, containers: [app, proxy(NEW)] });
    c.addPod('held-live', {
      labels: { ...web, 'sidecar-campaigns.io/hold': 'other' },
      containers: [app, proxy()],
    });
    c.addPod('held-stale', {
      labels: { ...web, 'sidecar-campaigns.io/hold': 'gone' },
      containers: [app, proxy()],
    });
    // Upgraded pods let go of the hold label; the campaign that upgraded them holds them while it runs.
    const upgradedBy = (campaign: string) => ({
      ...web,
      'sidecar-campaigns.io/campaign': campaign,
      'sidecar-campaigns.io/state': 'upgraded',
    });
    c.addPod('upgraded-live', {
      labels: upgradedBy('other'),
      containers: [app, proxy()],
    });
    c.addPod('upgraded-stale', {
      labels: upgradedBy('gone'),
      containers: [app, proxy()],
    });
    c.addDeployment('declared', {
      replicas: 1,
      labels: web,
      containers: [app, proxy()],
    });
    c.addDeployment('injected', {
      replicas: 1,
      labels: web,
      containers: [app],
      injected: [proxy()],
    });
    c.addPod('elsewhere', { labels: { tier: 'db' }, containers: [proxy()] });
    c.activeCampaigns.add('other');

    const result = await plan(spec({ strategy: { maxUnavailable: 10 } }), c);
    assert.deepEqual(result.batches.flatMap(b => b.keys).sort(), [
      'eu/shop/held-stale',
      'eu/shop/injected-0',
      'eu/shop/ok',
      'eu/shop/upgraded-stale',
    ]);
    assert.deepEqual(
      Object.fromEntries(result.skipped.map(s => [s.target, s.code])),
      {
        'eu/shop/no-proxy': 'no-container',
        'eu/shop/on-target': 'on-target',
        'eu/shop/held-live': 'held',
        'eu/shop/upgraded-live': 'held',
        'eu/shop/declared-0': 'declared-in-template',
      },
    );
    assert.deepEqual(
      result.skipped.filter(s => s.code === 'held').map(s => s.holder),
      ['other', 'other'],
    );
    assert.match(
      result.skipped.find(s => s.code === 'declared-in-template')!.reason,
      /declared in Deployment shop\/declared's pod template.*use mode "workload"/,
    );
    assert.deepEqual(result.counts, {
      selectedPods: 9,
      podsWithContainer: 8,
      targets: 9,
      planned: 4,
      skipped: 5,
      partitioned: 0,
    });
  });

  it('puts the canary first, sized by the spec, and flags only that batch', async () => {
    const c = new FakeClusterReader('eu');
    for (let i = 0; i < 10; i++)
      c.addPod(`p${i}`, { labels: web, containers: [proxy()] });
    const result = await plan(
      spec({
        strategy: {
          maxUnavailable: 3,
          canary: { size: 2, then: 'pause' },
          partition: 2,
        },
      }),
      c,
    );
    assert.deepEqual(
      result.batches.map(b => [b.keys.length, b.weight, b.canary]),
      [
        [2, 2, true],
        [3, 3, false],
        [3, 3, false],
      ],
    );
    assert.deepEqual(result.partitioned, ['eu/shop/p8', 'eu/shop/p9']);
    assert.equal(result.targets.size, 8, 'partitioned pods are not held');
  });

  it('scatters across a topology label over every cluster, and resolves percentages against all selected pods', async () => {
    const eu = new FakeClusterReader('eu');
    const us = new FakeClusterReader('us');
    for (let i = 0; i < 4; i++)
      eu.addPod(`p${i}`, {
        labels: { ...web, zone: `eu-${i % 2}` },
        containers: [proxy()],
      });
    for (let i = 0; i < 6; i++)
      us.addPod(`p${i}`, {
        labels: { ...web, zone: `us-${i % 2}` },
        containers: [proxy()],
      });
    const result = await plan(
      spec({
        strategy: {
          maxUnavailable: '20%',
          order: { by: 'scatter', topologyKey: 'zone' },
        },
      }),
      eu,
      us,
    );
    assert.equal(result.maxUnavailable, 2);
    assert.equal(result.batches.length, 5);
    const zoneOf = new Map(
      result.batches
        .flatMap(b => b.keys)
        .map(key => [key, result.targets.get(key)!.labels.zone]),
    );
    for (const batch of result.batches) {
      const zones = batch.keys.map(key => zoneOf.get(key));
      assert.equal(
        new Set(zones).size,
        batch.keys.length,
        `batch ${batch.index} mixes zones: ${zones.join(', ')}`,
      );
    }
  });

  it('asks for each owner once, however many pods share it', async () => {
    const c = new FakeClusterReader('eu');
    c.addDeployment('big', {
      replicas: 25,
      labels: web,
      containers: [app],
      injected: [proxy()],
    });
    await discoverTargets(spec({}), c);
    assert.equal(c.ownerLookups, 1);
  });

  it('refuses an entity campaign that was never resolved to its pods, instead of guessing them', async () => {
    const c = new FakeClusterReader('eu');
    const entitySpec = spec({
      selector: { entityRef: 'component:default/shop' },
    });
    await assert.rejects(
      discoverTargets(entitySpec, c),
      (error: unknown) =>
        error instanceof UnresolvedEntityError &&
        /backstage.io\/kubernetes-label-selector/.test(error.message),
    );
  });
});

describe('discovery in mode workload', () => {
  it('targets Deployments, counts pods as selected, and skips what it cannot restart with the reason', async () => {
    const c = new FakeClusterReader('eu');
    c.addDeployment('orders', {
      replicas: 3,
      labels: web,
      containers: [app, proxy()],
    });
    c.addDeployment('billing', {
      replicas: 2,
      labels: web,
      containers: [app, proxy()],
    });
    c.addDeployment('mesh', {
      replicas: 2,
      labels: web,
      containers: [app],
      injected: [proxy()],
    });
    c.addDeployment('vanishing', {
      replicas: 1,
      labels: web,
      containers: [app, proxy()],
    });
    c.addPod('bare', { labels: web, containers: [proxy()] });
    c.deletedAfterList.add('shop/vanishing');

    const result = await plan(
      spec({ mode: 'workload', strategy: { maxUnavailable: 2 } }),
      c,
    );
    assert.deepEqual(
      result.batches.map(b => b.keys),
      [['eu/shop/billing', 'eu/shop/orders']],
    );
    assert.deepEqual(
      Object.fromEntries(result.skipped.map(s => [s.target, s.code])),
      {
        'eu/shop/bare': 'not-a-deployment',
        'eu/shop/mesh': 'no-container',
        'eu/shop/vanishing': 'deleted',
      },
    );
    assert.match(
      result.skipped.find(s => s.code === 'deleted')!.reason,
      /Deployment deleted while the campaign selected it/,
    );
    assert.match(
      result.skipped.find(s => s.code === 'no-container')!.reason,
      /injected at admission\): use mode "in-place"/,
    );
    assert.equal(
      result.counts.selectedPods,
      9,
      'selected counts pods in workload mode too',
    );
    assert.equal(result.counts.targets, 5);
  });

  it('packs rollouts by weight, leaves out one that alone exceeds the budget, and packs the canary to its size', async () => {
    const c = new FakeClusterReader('eu');
    c.addDeployment('a', {
      replicas: 4,
      rolloutMaxUnavailable: 2,
      labels: web,
      containers: [proxy()],
    });
    c.addDeployment('b', {
      replicas: 4,
      rolloutMaxUnavailable: 1,
      labels: web,
      containers: [proxy()],
    });
    c.addDeployment('c', {
      replicas: 4,
      rolloutMaxUnavailable: 2,
      labels: web,
      containers: [proxy()],
    });
    c.addDeployment('d', {
      replicas: 4,
      rolloutMaxUnavailable: 1,
      labels: web,
      containers: [proxy()],
    });
    c.addDeployment('e', {
      replicas: 8,
      rolloutMaxUnavailable: 4,
      labels: web,
      containers: [proxy()],
    });

    const result = await plan(
      spec({
        mode: 'workload',
        strategy: { maxUnavailable: 3, canary: { size: 1, then: 'pause' } },
      }),
      c,
    );
    assert.deepEqual(
      result.batches.map(b => [
        b.keys.map(k => k.split('/')[2]),
        b.weight,
        b.canary,
      ]),
      [
        [['a'], 2, true],
        [['b', 'c'], 3, false],
        [['d'], 1, false],
      ],
    );
    assert.equal(
      result.skipped.find(s => s.target === 'eu/shop/e')?.code,
      'over-budget',
    );
  });

  it('never plans a batch whose rollouts together exceed maxUnavailable', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 6 }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.integer({ min: 1, max: 8 }),
        async (weights, budget) => {
          const c = new FakeClusterReader('eu');
          weights.forEach((weight, i) =>
            c.addDeployment(`d${i}`, {
              replicas: weight,
              rolloutMaxUnavailable: weight,
              labels: web,
              containers: [proxy()],
            }),
          );
          const result = await plan(
            spec({ mode: 'workload', strategy: { maxUnavailable: budget } }),
            c,
          );
          for (const batch of result.batches)
            assert.ok(
              batch.weight <= result.maxUnavailable,
              `batch ${batch.index} weighs ${batch.weight} > ${result.maxUnavailable}`,
            );
          assert.equal(
            result.counts.planned + result.counts.skipped,
            weights.length,
          );
        },
      ),
    );
  });
});

describe('discovery in mode to-native', () => {
  const fluentBit = (image = OLD) => ({ name: 'fluent-bit', image });
  const toNative = (input: Record<string, unknown> = {}) =>
    spec({
      container: 'fluent-bit',
      targetImage: OLD,
      mode: 'to-native',
      strategy: { maxUnavailable: 2 },
      ...input,
    });

  it('takes Deployments that declare the sidecar as a regular container and says why it skips each other one', async () => {
    const c = new FakeClusterReader('eu');
    c.addDeployment('orders', {
      replicas: 2,
      labels: web,
      containers: [app, fluentBit()],
    });
    c.addDeployment('ledger', {
      replicas: 2,
      labels: web,
      containers: [app],
      initContainers: [{ ...fluentBit(), restartPolicy: 'Always' }],
    });
    c.addDeployment('migrating', {
      replicas: 1,
      labels: web,
      containers: [app],
      initContainers: [fluentBit()],
    });
    c.addDeployment('logged', {
      replicas: 2,
      labels: web,
      containers: [app],
      injected: [fluentBit('registry.example.com/fluent-bit:3.0.0')],
    });
    c.addDeployment('plain', { replicas: 1, labels: web, containers: [app] });
    c.addPod('bare', { labels: web, containers: [app, fluentBit()] });
    c.policies.push(
      {
        name: 'inject-istio-proxy',
        expressions: ['Object{ name: "istio-proxy", image: "proxyv2:1.24" }'],
      },
      {
        name: 'inject-fluent-bit-old',
        expressions: [
          'Object{ name: "fluent-bit", image: "registry.example.com/fluent-bit:2.0.0" }',
        ],
      },
      {
        name: 'inject-fluent-bit',
        expressions: [
          'Object{ name: "fluent-bit", image: "registry.example.com/fluent-bit:3.0.0" }',
        ],
      },
    );

    const result = await plan(toNative(), c);
    assert.deepEqual(
      result.batches.map(b => b.keys),
      [['eu/shop/orders']],
    );
    const reasons = Object.fromEntries(
      result.skipped.map(s => [s.target, `${s.code}: ${s.reason}`]),
    );
    assert.match(
      reasons['eu/shop/ledger']!,
      /^already-native: in Deployment eu\/shop\/ledger: fluent-bit is already a native sidecar .*nothing to move; to change its image use mode "workload"$/,
    );
    assert.match(reasons['eu/shop/migrating']!, /^run-to-completion: /);
    assert.match(
      reasons['eu/shop/logged']!,
      /^injected: fluent-bit is not in Deployment eu\/shop\/logged's pod template: MutatingAdmissionPolicy "inject-fluent-bit" adds it to the pods, so the campaign cannot move it; change that injector's configuration to inject fluent-bit as a native sidecar/,
    );
    assert.match(
      reasons['eu/shop/plain']!,
      /^no-container: neither Deployment eu\/shop\/plain's pod template nor its pods have a container named fluent-bit$/,
    );
    assert.match(
      reasons['eu/shop/bare']!,
      /^not-a-deployment: .*mode "to-native" changes Deployments' pod templates/,
    );
    assert.equal(c.policyReads, 1, 'the policies are read once per pass');
  });

  it('says an unknown injector adds an injected sidecar when no policy names it', async () => {
    const c = new FakeClusterReader('eu');
    c.addDeployment('logged', {
      replicas: 1,
      labels: web,
      containers: [app],
      injected: [fluentBit()],
    });
    const result = await plan(toNative(), c);
    assert.match(
      result.skipped[0]!.reason,
      /an admission injector \(a mutating webhook or admission policy\) adds it/,
    );
  });

  it('packs Deployments by rollout size, like mode workload', async () => {
    const c = new FakeClusterReader('eu');
    for (const name of ['a', 'b', 'c'])
      c.addDeployment(name, {
        replicas: 2,
        labels: web,
        containers: [app, fluentBit()],
      });
    const result = await plan(toNative(), c);
    assert.deepEqual(
      result.batches.map(b => b.keys.length),
      [2, 1],
    );
    assert.equal(result.maxUnavailable, 2);
  });
});

describe('plan fingerprints', () => {
  it('name each figure that changed between the preview and the claim', async () => {
    const c = new FakeClusterReader('eu');
    for (let i = 0; i < 4; i++)
      c.addPod(`p${i}`, { labels: web, containers: [proxy()] });
    const s = spec({ strategy: { maxUnavailable: 2 } });
    const previewed = planFingerprint(await plan(s, c));
    assert.equal(
      describePlanChange(previewed, planFingerprint(await plan(s, c))),
      undefined,
    );
    c.addPod('p4', { labels: web, containers: [proxy()] });
    c.addPod('p5', { labels: web, containers: [proxy(NEW)] });
    assert.equal(
      describePlanChange(previewed, planFingerprint(await plan(s, c))),
      'plan changed since preview: selected pods 4 → 6; targets 4 → 6; skipped 0 → 1; batch sizes 2×2 → 2×2, 1',
    );
  });
});
