import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  moveToNative,
  nativeMoveProblem,
  restoreLegacy,
  type MovableContainer,
} from './nativeSidecar';
import {
  classifyStartOrdering,
  ISTIO_PROXY_CONFIG_ANNOTATION,
} from './startOrdering';

interface Container extends MovableContainer {
  ports?: { containerPort: number }[];
  readinessProbe?: object;
  resources?: object;
  env?: { name: string; value: string }[];
  volumeMounts?: { name: string; mountPath: string }[];
  securityContext?: object;
}

const OLD = 'cr.fluentbit.io/fluent/fluent-bit:3.1.9';
const NEW = 'cr.fluentbit.io/fluent/fluent-bit:3.2.4';

const fluentBit: Container = {
  name: 'fluent-bit',
  image: OLD,
  ports: [{ containerPort: 2020 }],
  readinessProbe: { httpGet: { path: '/api/v1/health', port: 2020 } },
  resources: { requests: { cpu: '50m', memory: '64Mi' } },
  env: [{ name: 'FLUENT_ELASTICSEARCH_HOST', value: 'logs' }],
  volumeMounts: [{ name: 'varlog', mountPath: '/var/log' }],
  securityContext: { runAsNonRoot: true },
};

const template = (containers: Container[], initContainers?: Container[]) => ({
  metadata: { labels: { app: 'orders' } },
  spec: {
    containers,
    ...(initContainers ? { initContainers } : {}),
    volumes: [{ name: 'varlog', emptyDir: {} }],
  },
});

describe('moveToNative', () => {
  it('moves the sidecar to the end of initContainers with restartPolicy Always, keeping every other field', () => {
    const before = template(
      [{ name: 'app', image: 'app:1' }, fluentBit],
      [{ name: 'migrate', image: 'migrate:1' }],
    );
    const moved = moveToNative(before, 'fluent-bit', OLD);
    assert.ok(moved.ok);
    assert.deepEqual(moved.template.spec.containers, [
      { name: 'app', image: 'app:1' },
    ]);
    assert.deepEqual(moved.template.spec.initContainers, [
      { name: 'migrate', image: 'migrate:1' },
      { ...fluentBit, restartPolicy: 'Always' },
    ]);
    assert.deepEqual(moved.template.spec.volumes, before.spec.volumes);
    assert.deepEqual(moved.template.metadata, before.metadata);
    assert.deepEqual(moved.dropped, []);
    assert.deepEqual(
      classifyStartOrdering(moved.template.spec, 'fluent-bit'),
      { kind: 'native' },
      'the start-ordering report calls the result native',
    );
  });

  it('runs the given image, so a campaign may move and upgrade at once', () => {
    const moved = moveToNative(template([fluentBit]), 'fluent-bit', NEW);
    assert.ok(moved.ok);
    assert.equal(moved.template.spec.initContainers?.[0]?.image, NEW);
    assert.equal(moved.record.container.image, OLD);
  });

  it('leaves out a postStart hook that held the app back, and keeps preStop', () => {
    const hooked: Container = {
      ...fluentBit,
      lifecycle: {
        postStart: { exec: { command: ['wait-until-ready'] } },
        preStop: { exec: { command: ['drain'] } },
      },
    };
    const moved = moveToNative(
      template([hooked, { name: 'app' }]),
      'fluent-bit',
      OLD,
    );
    assert.ok(moved.ok);
    assert.deepEqual(moved.dropped, ['postStart']);
    assert.deepEqual(moved.template.spec.initContainers?.[0]?.lifecycle, {
      preStop: { exec: { command: ['drain'] } },
    });
    const onlyStart = moveToNative(
      template([
        { ...fluentBit, lifecycle: { postStart: {} } },
        { name: 'app' },
      ]),
      'fluent-bit',
      OLD,
    );
    assert.ok(onlyStart.ok);
    assert.equal(
      Object.keys(onlyStart.template.spec.initContainers?.[0] ?? {}).includes(
        'lifecycle',
      ),
      false,
    );
  });

  it('keeps a postStart hook that orders nothing (the sidecar is the last container)', () => {
    const last: Container = { ...fluentBit, lifecycle: { postStart: {} } };
    const moved = moveToNative(
      template([{ name: 'app' }, last]),
      'fluent-bit',
      OLD,
    );
    assert.ok(moved.ok);
    assert.deepEqual(moved.dropped, []);
    assert.deepEqual(moved.template.spec.initContainers?.[0]?.lifecycle, {
      postStart: {},
    });
  });

  it("drops Istio's holdApplicationUntilProxyStarts from the proxy config, in YAML or JSON, keeping the rest", () => {
    const proxy: Container = { name: 'istio-proxy', image: 'proxyv2:1.24.2' };
    const withConfig = (config: string) => ({
      metadata: {
        annotations: { [ISTIO_PROXY_CONFIG_ANNOTATION]: config, team: 'a' },
      },
      spec: { containers: [{ name: 'app' }, proxy] },
    });
    const yaml = moveToNative(
      withConfig(
        'holdApplicationUntilProxyStarts: true\nterminationDrainDuration: 30s\n',
      ),
      'istio-proxy',
      'proxyv2:1.24.2',
    );
    assert.ok(yaml.ok);
    assert.deepEqual(yaml.dropped, ['holdApplicationUntilProxyStarts']);
    assert.deepEqual(yaml.template.metadata.annotations, {
      [ISTIO_PROXY_CONFIG_ANNOTATION]: 'terminationDrainDuration: 30s\n',
      team: 'a',
    });
    const json = moveToNative(
      withConfig('{"holdApplicationUntilProxyStarts": true}'),
      'istio-proxy',
      'proxyv2:1.24.2',
    );
    assert.ok(json.ok);
    assert.deepEqual(
      json.template.metadata.annotations,
      { team: 'a' },
      'nothing else was in it, so the annotation goes',
    );
  });

  it('names the field and the fix when the sidecar cannot move', () => {
    const native = template(
      [{ name: 'app' }],
      [{ ...fluentBit, restartPolicy: 'Always' }],
    );
    assert.deepEqual(moveToNative(native, 'fluent-bit', OLD), {
      ok: false,
      reason:
        'fluent-bit is already a native sidecar (an init container with restartPolicy: Always): nothing to move; to change its image use mode "workload"',
    });
    assert.equal(
      nativeMoveProblem(
        template([{ name: 'app' }], [{ name: 'fluent-bit' }]),
        'fluent-bit',
      )?.code,
      'run-to-completion',
    );
    assert.equal(
      nativeMoveProblem(template([{ name: 'app' }]), 'fluent-bit')?.code,
      'absent',
    );
  });
});

describe('restoreLegacy', () => {
  it('restores the exact template the move started from', () => {
    const hooked: Container = {
      ...fluentBit,
      name: 'istio-proxy',
      lifecycle: { postStart: { exec: { command: ['pilot-agent', 'wait'] } } },
    };
    const before = {
      metadata: {
        annotations: {
          [ISTIO_PROXY_CONFIG_ANNOTATION]:
            'holdApplicationUntilProxyStarts: true',
        },
      },
      spec: { containers: [hooked, { name: 'app' }] },
    };
    const moved = moveToNative(before, 'istio-proxy', NEW);
    assert.ok(moved.ok);
    assert.deepEqual(moved.dropped, [
      'postStart',
      'holdApplicationUntilProxyStarts',
    ]);
    assert.deepEqual(moved.template.metadata.annotations, {});
    const restored = restoreLegacy(moved.template, moved.record);
    assert.ok(restored.ok);
    assert.deepEqual(restored.template, before);
  });

  it('refuses when the template no longer has the native sidecar', () => {
    const moved = moveToNative(template([fluentBit]), 'fluent-bit', OLD);
    assert.ok(moved.ok);
    const changed = template([fluentBit], []);
    assert.match(
      (restoreLegacy(changed, moved.record) as { reason: string }).reason,
      /no native sidecar in the template any more/,
    );
  });

  it('round-trips any template: move then restore gives back the same template', () => {
    const container = (name: string) =>
      fc.record(
        {
          name: fc.constant(name),
          image: fc.constantFrom('a:1', 'b:2'),
          lifecycle: fc.record(
            { postStart: fc.constant({}), preStop: fc.constant({}) },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: ['name'] },
      );
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('app', 'worker', 'sidecar'), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.option(fc.array(container('init'), { maxLength: 2 }), {
          nil: undefined,
        }),
        fc.option(
          fc.constantFrom(
            'holdApplicationUntilProxyStarts: true',
            '{"holdApplicationUntilProxyStarts":true,"concurrency":2}',
            'concurrency: 2',
          ),
          { nil: undefined },
        ),
        fc.nat(3),
        (names, initContainers, config, at) => {
          const unique = [...new Set(names)].map(name => ({ name }));
          const index = Math.min(at, unique.length);
          const containers: Container[] = [...unique];
          containers.splice(index, 0, {
            name: 'istio-proxy',
            lifecycle: { postStart: {} },
          });
          const before = {
            ...(config !== undefined
              ? {
                  metadata: {
                    annotations: { [ISTIO_PROXY_CONFIG_ANNOTATION]: config },
                  },
                }
              : {}),
            spec: {
              containers,
              ...(initContainers ? { initContainers } : {}),
            },
          };
          const moved = moveToNative(before, 'istio-proxy', 'proxy:2');
          assert.ok(moved.ok);
          const restored = restoreLegacy(moved.template, moved.record);
          assert.ok(restored.ok);
          assert.deepEqual(restored.template, before);
        },
      ),
    );
  });
});
