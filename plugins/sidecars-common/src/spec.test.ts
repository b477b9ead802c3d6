import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCampaignSpec, type CampaignSpec } from './spec';

const base = {
  container: 'istio-proxy',
  targetImage: 'docker.io/istio/proxyv2:1.24.2',
  selector: { namespaces: ['payments'] },
};

function withStrategy(strategy: Record<string, unknown>) {
  return { ...base, strategy };
}

function withSchedule(schedule: Record<string, unknown>) {
  return { ...base, schedule };
}

function withWindow(window: Record<string, unknown>) {
  return withSchedule({
    windows: [
      {
        cron: '0 22 * * 1-5',
        durationMinutes: 240,
        timeZone: 'Europe/Berlin',
        ...window,
      },
    ],
  });
}

const { container: _container, ...withoutContainer } = base;
const { targetImage: _targetImage, ...withoutTargetImage } = base;
const { selector: _selector, ...withoutSelector } = base;

interface BadCase {
  name: string;
  input: unknown;
  field: string;
  /** The part of the message that tells the user how to fix it. */
  fix: RegExp;
}

const badCases: BadCase[] = [
  {
    name: 'not an object',
    input: 'istio-proxy',
    field: '',
    fix: /send e\.g\. \{"container"/,
  },
  {
    name: 'empty name',
    input: { ...base, name: '  ' },
    field: 'name',
    fix: /give a short title/,
  },
  {
    name: 'missing container',
    input: withoutContainer,
    field: 'container',
    fix: /set it to the name of the sidecar container/,
  },
  {
    name: 'container not a DNS label',
    input: { ...base, container: 'Istio_Proxy' },
    field: 'container',
    fix: /use the name exactly as in the pod spec/,
  },
  {
    name: 'container not text',
    input: { ...base, container: 42 },
    field: 'container',
    fix: /set it to the sidecar container's name/,
  },
  {
    name: 'missing targetImage',
    input: withoutTargetImage,
    field: 'targetImage',
    fix: /set it to the image to roll out, e\.g\./,
  },
  {
    name: 'image without tag or digest',
    input: { ...base, targetImage: 'istio/proxyv2' },
    field: 'targetImage',
    fix: /add one, e\.g\. "istio\/proxyv2:1\.24\.2"/,
  },
  {
    name: 'image with uppercase repository',
    input: { ...base, targetImage: 'Istio/Proxyv2:1.2' },
    field: 'targetImage',
    fix: /lowercase.*Use e\.g\./,
  },
  {
    name: 'image with short digest',
    input: { ...base, targetImage: 'istio/proxyv2@sha256:abc' },
    field: 'targetImage',
    fix: /64 lowercase hexadecimal.*Use e\.g\./,
  },
  {
    name: 'image with bad port',
    input: { ...base, targetImage: 'registry:port/x/y:1' },
    field: 'targetImage',
    fix: /numeric port.*Use e\.g\./,
  },
  {
    name: 'missing selector',
    input: withoutSelector,
    field: 'selector',
    fix: /say which pods to upgrade/,
  },
  {
    name: 'selector matching everything',
    input: { ...base, selector: {} },
    field: 'selector',
    fix: /set selector\.fleetWide to true/,
  },
  {
    name: 'clusters alone still match everything',
    input: { ...base, selector: { clusters: ['prod-eu-1'] } },
    field: 'selector',
    fix: /in the listed clusters: narrow it/,
  },
  {
    name: 'empty labelSelector matches everything',
    input: { ...base, selector: { labelSelector: ' ' } },
    field: 'selector',
    fix: /fleetWide to true/,
  },
  {
    name: 'empty namespace list',
    input: { ...base, selector: { namespaces: [] } },
    field: 'selector.namespaces',
    fix: /list at least one namespace, or omit/,
  },
  {
    name: 'invalid namespace',
    input: { ...base, selector: { namespaces: ['ok', 'Payments'] } },
    field: 'selector.namespaces.1',
    fix: /write it as Kubernetes shows it/,
  },
  {
    name: 'empty cluster list',
    input: { ...base, selector: { clusters: [], namespaces: ['a'] } },
    field: 'selector.clusters',
    fix: /list at least one cluster/,
  },
  {
    name: 'unclosed label value list',
    input: { ...base, selector: { labelSelector: 'app in (web' } },
    field: 'selector.labelSelector',
    fix: /Use Kubernetes label-selector syntax, e\.g\./,
  },
  {
    name: 'label selector missing operator',
    input: { ...base, selector: { labelSelector: 'app web' } },
    field: 'selector.labelSelector',
    fix: /expected an operator.*e\.g\./,
  },
  {
    name: 'invalid entity ref',
    input: { ...base, selector: { entityRef: 'component:default/' } },
    field: 'selector.entityRef',
    fix: /Write \[kind:\]\[namespace\/\]name/,
  },
  {
    name: 'fleetWide not boolean',
    input: { ...base, selector: { fleetWide: 'yes' } },
    field: 'selector.fleetWide',
    fix: /set true only to confirm/,
  },
  {
    name: 'unknown selector field',
    input: { ...base, selector: { namespaces: ['a'], labels: 'app=web' } },
    field: 'selector.labels',
    fix: /remove it or use one of the known fields: .*labelSelector/,
  },
  {
    name: 'unknown top-level field',
    input: { ...base, owner: 'team-a' },
    field: 'owner',
    fix: /remove it or use one of the known fields/,
  },
  {
    name: 'misspelt top-level field',
    input: { ...base, schedul: {} },
    field: 'schedul',
    fix: /did you mean "schedule"\?/,
  },
  {
    name: 'unknown mode',
    input: { ...base, mode: 'rolling' },
    field: 'mode',
    fix: /"in-place".*"workload".*"to-native".*pick one of them, or omit it/,
  },
  {
    name: 'maxUnavailable zero',
    input: withStrategy({ maxUnavailable: 0 }),
    field: 'strategy.maxUnavailable',
    fix: /use e\.g\. 5 or "10%"/,
  },
  {
    name: 'maxUnavailable 0%',
    input: withStrategy({ maxUnavailable: '0%' }),
    field: 'strategy.maxUnavailable',
    fix: /use e\.g\. 5 or "10%"/,
  },
  {
    name: 'maxUnavailable over 100%',
    input: withStrategy({ maxUnavailable: '150%' }),
    field: 'strategy.maxUnavailable',
    fix: /"1%" to "100%"/,
  },
  {
    name: 'maxUnavailable fractional',
    input: withStrategy({ maxUnavailable: 2.5 }),
    field: 'strategy.maxUnavailable',
    fix: /use e\.g\. 5/,
  },
  {
    name: 'maxUnavailable as numeric text',
    input: withStrategy({ maxUnavailable: '5' }),
    field: 'strategy.maxUnavailable',
    fix: /write 5 as a number for a pod count, or "5%"/,
  },
  {
    name: 'misspelt strategy field',
    input: withStrategy({ maxUnavailble: 3 }),
    field: 'strategy.maxUnavailble',
    fix: /did you mean "maxUnavailable"\?/,
  },
  {
    name: 'canary without then',
    input: withStrategy({ canary: { size: 1 } }),
    field: 'strategy.canary.then',
    fix: /set "pause" to wait for a manual resume/,
  },
  {
    name: 'canary size zero',
    input: withStrategy({ canary: { size: 0, then: 'pause' } }),
    field: 'strategy.canary.size',
    fix: /use e\.g\. 1 or "5%"/,
  },
  {
    name: 'canary bake without time',
    input: withStrategy({ canary: { size: 1, then: 'bake' } }),
    field: 'strategy.canary.bakeSeconds',
    fix: /set strategy\.canary\.bakeSeconds, e\.g\. 600/,
  },
  {
    name: 'canary bake time with pause',
    input: withStrategy({
      canary: { size: 1, then: 'pause', bakeSeconds: 60 },
    }),
    field: 'strategy.canary.bakeSeconds',
    fix: /remove it, or set then to "bake"/,
  },
  {
    name: 'negative partition',
    input: withStrategy({ partition: -1 }),
    field: 'strategy.partition',
    fix: /use e\.g\. 2 or "50%"/,
  },
  {
    name: 'unknown order',
    input: withStrategy({ order: { by: 'random' } }),
    field: 'strategy.order.by',
    fix: /use \{"by":"name"\}/,
  },
  {
    name: 'order as text',
    input: withStrategy({ order: 'name' }),
    field: 'strategy.order',
    fix: /use \{"by":"name"\}/,
  },
  {
    name: 'priority order without label',
    input: withStrategy({ order: { by: 'priority' } }),
    field: 'strategy.order.label',
    fix: /name the pod label whose numeric value orders the pods/,
  },
  {
    name: 'scatter with invalid key',
    input: withStrategy({ order: { by: 'scatter', topologyKey: 'zone name' } }),
    field: 'strategy.order.topologyKey',
    fix: /e\.g\. "topology\.kubernetes\.io\/zone"/,
  },
  {
    name: 'topologyKey with name order',
    input: withStrategy({ order: { by: 'name', topologyKey: 'zone' } }),
    field: 'strategy.order.topologyKey',
    fix: /remove it, or change strategy\.order to by "scatter"/,
  },
  {
    name: 'negative bake time',
    input: withStrategy({ bakeSeconds: -5 }),
    field: 'strategy.bakeSeconds',
    fix: /use e\.g\. 300/,
  },
  {
    name: 'health timeout below 5 s',
    input: withStrategy({ healthTimeoutSeconds: 2 }),
    field: 'strategy.healthTimeoutSeconds',
    fix: /at least 5.*use e\.g\. 300/,
  },
  {
    name: 'failure budget as numeric text',
    input: withStrategy({ failureBudget: '10' }),
    field: 'strategy.failureBudget',
    fix: /write 10 as a number.*"10%"/,
  },
  {
    name: 'unknown onFailure',
    input: withStrategy({ onFailure: 'ignore' }),
    field: 'strategy.onFailure',
    fix: /"pause" stops and waits/,
  },
  {
    name: 'rollback window as text',
    input: withStrategy({ rollbackWindowSeconds: 'a day' }),
    field: 'strategy.rollbackWindowSeconds',
    fix: /use e\.g\. 86400/,
  },
  {
    name: 'strategy not an object',
    input: { ...base, strategy: 5 },
    field: 'strategy',
    fix: /omit it to use the defaults/,
  },
  {
    name: 'notBefore without offset',
    input: withSchedule({ notBefore: '2025-06-02T08:00:00' }),
    field: 'schedule.notBefore',
    fix: /write e\.g\. "2025-06-02T08:00:00\+02:00"/,
  },
  {
    name: 'notBefore impossible date',
    input: withSchedule({ notBefore: '2025-02-30T08:00:00Z' }),
    field: 'schedule.notBefore',
    fix: /write e\.g\./,
  },
  {
    name: 'empty window list',
    input: withSchedule({ windows: [] }),
    field: 'schedule.windows',
    fix: /add a window, or omit the field/,
  },
  {
    name: 'six-field cron',
    input: withWindow({ cron: '0 0 22 * * 1-5' }),
    field: 'schedule.windows.0.cron',
    fix: /e\.g\. "0 22 \* \* 1-5"/,
  },
  {
    name: 'cron minute out of range',
    input: withWindow({ cron: '61 22 * * *' }),
    field: 'schedule.windows.0.cron',
    fix: /Write minute, hour, day of month, month and day of week, e\.g\./,
  },
  {
    name: 'hashed cron',
    input: withWindow({ cron: 'H 22 * * *' }),
    field: 'schedule.windows.0.cron',
    fix: /illegal characters\. Write minute, hour/,
  },
  {
    name: 'cron that never fires',
    input: withWindow({ cron: '0 0 30 2 *' }),
    field: 'schedule.windows.0.cron',
    fix: /Write minute, hour, day of month, month and day of week, e\.g\./,
  },
  {
    name: 'unknown time zone',
    input: withWindow({ timeZone: 'Europe/Berlinn' }),
    field: 'schedule.windows.0.timeZone',
    fix: /use a name such as "Europe\/Berlin"/,
  },
  {
    name: 'zero-length window',
    input: withWindow({ durationMinutes: 0 }),
    field: 'schedule.windows.0.durationMinutes',
    fix: /use e\.g\. 240/,
  },
  {
    name: 'unknown pacing',
    input: withStrategy({ pacing: 'fast' }),
    field: 'strategy.pacing',
    fix: /pick one, or omit it for "batches"/,
  },
  {
    name: 'rolling pacing with bake between batches',
    input: withStrategy({ pacing: 'rolling', bakeSeconds: 60 }),
    field: 'strategy.pacing',
    fix: /set bakeSeconds to 0, or use pacing "batches"/,
  },
  {
    name: 'rolling pacing in workload mode',
    input: { ...withStrategy({ pacing: 'rolling' }), mode: 'workload' },
    field: 'strategy.pacing',
    fix: /use pacing "batches" \(or omit it\), or mode "in-place"/,
  },
  {
    name: 'rolling pacing in to-native mode',
    input: { ...withStrategy({ pacing: 'rolling' }), mode: 'to-native' },
    field: 'strategy.pacing',
    fix: /in to-native mode maxUnavailable is a pod budget.*use pacing "batches" \(or omit it\)/,
  },
  {
    name: 'missing time zone',
    input: withSchedule({
      windows: [{ cron: '0 22 * * *', durationMinutes: 60 }],
    }),
    field: 'schedule.windows.0.timeZone',
    fix: /name the IANA time zone/,
  },
  {
    name: 'waves with selector.clusters',
    input: {
      ...base,
      selector: { namespaces: ['payments'], clusters: ['a'] },
      waves: [{ name: 'one', clusters: ['a'] }],
    },
    field: 'selector.clusters',
    fix: /each wave lists its own clusters: remove selector.clusters/,
  },
  {
    name: 'a wave without clusters',
    input: { ...base, waves: [{ name: 'one', clusters: [] }] },
    field: 'waves.0.clusters',
    fix: /list the clusters the wave upgrades/,
  },
  {
    name: 'two waves of one name',
    input: {
      ...base,
      waves: [
        { name: 'prod', clusters: ['a'] },
        { name: 'prod', clusters: ['b'] },
      ],
    },
    field: 'waves.1.name',
    fix: /give each wave its own name/,
  },
  {
    name: 'a gate before the first wave',
    input: {
      ...base,
      waves: [{ name: 'one', clusters: ['a'], gate: { approval: true } }],
    },
    field: 'waves.0.gate',
    fix: /a gate waits between a wave and the one before it/,
  },
  {
    name: 'a misspelt wave gate field',
    input: {
      ...base,
      waves: [
        { name: 'one', clusters: ['a'] },
        { name: 'two', clusters: ['b'], gate: { aproval: true } },
      ],
    },
    field: 'waves.1.gate.aproval',
    fix: /did you mean "approval"/,
  },
  {
    name: 'a wave maxUnavailable of 0',
    input: {
      ...base,
      waves: [
        { name: 'one', clusters: ['a'], strategy: { maxUnavailable: 0 } },
      ],
    },
    field: 'waves.0.strategy.maxUnavailable',
    fix: /strategy.maxUnavailable must be a whole number of pods \(1 or more\)/,
  },
];

describe('parseCampaignSpec rejects', () => {
  for (const testCase of badCases) {
    it(testCase.name, () => {
      const result = parseCampaignSpec(testCase.input);
      assert.equal(result.ok, false, 'the input should be rejected');
      if (result.ok) return;
      assert.deepEqual(
        result.errors.map(error => error.field),
        [testCase.field],
        `errors: ${JSON.stringify(result.errors)}`,
      );
      assert.match(result.errors[0]?.message ?? '', testCase.fix);
    });
  }

  it('reports every problem at once', () => {
    const result = parseCampaignSpec({
      container: 'X',
      targetImage: 'nope',
      selector: {},
      extra: true,
    });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(result.errors.map(error => error.field).sort(), [
      'container',
      'extra',
      'selector',
      'targetImage',
    ]);
  });
});

describe('parseCampaignSpec accepts', () => {
  it('a minimal spec and applies the defaults', () => {
    const result = parseCampaignSpec(base);
    const expected: CampaignSpec = {
      ...base,
      mode: 'in-place',
      strategy: {
        maxUnavailable: '10%',
        order: { by: 'name' },
        bakeSeconds: 0,
        healthTimeoutSeconds: 300,
        failureBudget: 0,
        onFailure: 'rollback',
        rollbackWindowSeconds: 86400,
      },
    };
    assert.deepEqual(result, { ok: true, spec: expected });
  });

  it('mode "to-native", whose targetImage is the image the native sidecar runs', () => {
    const result = parseCampaignSpec({ ...base, mode: 'to-native' });
    assert.equal(result.ok && result.spec.mode, 'to-native');
    assert.equal(result.ok && result.spec.targetImage, base.targetImage);
  });

  it('a full spec unchanged', () => {
    const full = {
      name: 'istio-proxy 1.24.2 rollout',
      container: 'istio-proxy',
      targetImage: `registry.example.com:5000/mesh/istio/proxyv2:1.24.2@sha256:${'a'.repeat(64)}`,
      selector: {
        clusters: ['prod-eu-1', 'prod-us-1'],
        namespaces: ['payments', 'checkout'],
        labelSelector: 'app=web,tier!=db,env in (prod,staging),!legacy,team',
        entityRef: 'component:default/checkout',
      },
      mode: 'workload',
      strategy: {
        maxUnavailable: 3,
        canary: { size: '5%', then: 'bake', bakeSeconds: 900 },
        partition: '20%',
        order: { by: 'scatter', topologyKey: 'topology.kubernetes.io/zone' },
        bakeSeconds: 120,
        healthTimeoutSeconds: 5,
        failureBudget: '2%',
        onFailure: 'pause',
        rollbackWindowSeconds: 0,
      },
      schedule: {
        notBefore: '2025-06-02T08:00:00.5+02:00',
        windows: [
          {
            cron: '0 22 * * 1-5',
            durationMinutes: 360,
            timeZone: 'Europe/Berlin',
          },
          { cron: '0 2 * * sat,sun', durationMinutes: 60, timeZone: 'UTC' },
        ],
      },
    };
    assert.deepEqual(parseCampaignSpec(full), { ok: true, spec: full });
  });

  for (const [name, selector] of [
    ['a fleet-wide selector', { fleetWide: true }],
    ['an entity ref alone', { entityRef: 'checkout' }],
    ['a label selector alone', { labelSelector: 'app=web' }],
    [
      'a namespace-qualified entity ref',
      { entityRef: 'default/checkout', clusters: ['prod'] },
    ],
  ] as const) {
    it(name, () => {
      const result = parseCampaignSpec({ ...base, selector });
      assert.equal(result.ok, true, JSON.stringify(result));
    });
  }

  for (const targetImage of [
    'envoy:v1.31',
    'localhost:5000/envoy:1',
    `envoy@sha256:${'0'.repeat(64)}`,
    'a.b/c__d/e-f.g:1_X',
  ]) {
    it(`image ${targetImage}`, () => {
      assert.equal(parseCampaignSpec({ ...base, targetImage }).ok, true);
    });
  }

  it('rolling pacing in place with a canary, keeping it in the spec', () => {
    const result = parseCampaignSpec(
      withStrategy({ pacing: 'rolling', canary: { size: 1, then: 'pause' } }),
    );
    assert.equal(
      result.ok && result.spec.strategy.pacing,
      'rolling',
      JSON.stringify(result),
    );
  });

  it('priority order and percent quantities', () => {
    const result = parseCampaignSpec(
      withStrategy({
        maxUnavailable: '100%',
        partition: 0,
        failureBudget: '0%',
        order: { by: 'priority', label: 'example.com/priority' },
      }),
    );
    assert.equal(result.ok, true, JSON.stringify(result));
  });
});
