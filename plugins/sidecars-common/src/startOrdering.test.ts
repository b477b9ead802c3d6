import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  adviseStartOrdering,
  classifyStartOrdering,
  holdsApplicationUntilProxyStarts,
  ISTIO_PROXY_CONFIG_ANNOTATION,
  type OrderingContainer,
  type OrderingPod,
} from './startOrdering';

const app: OrderingContainer = { name: 'app' };
const hook = { postStart: {} };

describe('classifyStartOrdering', () => {
  it('calls an init container with restartPolicy Always native', () => {
    const pod: OrderingPod = {
      initContainers: [{ name: 'cloud-sql-proxy', restartPolicy: 'Always' }],
      containers: [app],
    };
    assert.deepEqual(classifyStartOrdering(pod, 'cloud-sql-proxy'), {
      kind: 'native',
    });
  });

  it('has no answer for a plain init container, which does not run alongside the app', () => {
    const pod: OrderingPod = {
      initContainers: [{ name: 'migrate' }],
      containers: [app],
    };
    assert.equal(classifyStartOrdering(pod, 'migrate'), undefined);
    assert.equal(classifyStartOrdering(pod, 'absent'), undefined);
  });

  it('counts a postStart hook only when the sidecar comes before a container it holds back', () => {
    const first: OrderingPod = {
      containers: [{ name: 'vault-agent', lifecycle: hook }, app],
    };
    assert.deepEqual(classifyStartOrdering(first, 'vault-agent'), {
      kind: 'start-hook',
      hook: 'postStart',
    });
    const last: OrderingPod = {
      containers: [app, { name: 'vault-agent', lifecycle: hook }],
    };
    assert.deepEqual(classifyStartOrdering(last, 'vault-agent'), {
      kind: 'unordered',
    });
  });

  it("reads Istio's holdApplicationUntilProxyStarts from the proxy config annotation, in YAML or JSON", () => {
    for (const config of [
      'holdApplicationUntilProxyStarts: true',
      'concurrency: 2\nholdApplicationUntilProxyStarts: true\n',
      '{"holdApplicationUntilProxyStarts": true}',
      "{ 'holdApplicationUntilProxyStarts': 'true' }",
    ]) {
      const pod: OrderingPod = {
        annotations: { [ISTIO_PROXY_CONFIG_ANNOTATION]: config },
        containers: [app, { name: 'istio-proxy' }],
      };
      assert.deepEqual(
        classifyStartOrdering(pod, 'istio-proxy'),
        { kind: 'start-hook', hook: 'holdApplicationUntilProxyStarts' },
        config,
      );
    }
  });

  it('ignores a proxy config that does not hold the app, and the annotation for other sidecars', () => {
    for (const config of [
      'holdApplicationUntilProxyStarts: false',
      'concurrency: 2',
      'notholdApplicationUntilProxyStarts: true',
    ])
      assert.equal(
        holdsApplicationUntilProxyStarts({
          [ISTIO_PROXY_CONFIG_ANNOTATION]: config,
        }),
        false,
        config,
      );
    const pod: OrderingPod = {
      annotations: {
        [ISTIO_PROXY_CONFIG_ANNOTATION]:
          'holdApplicationUntilProxyStarts: true',
      },
      containers: [app, { name: 'fluent-bit' }],
    };
    assert.deepEqual(classifyStartOrdering(pod, 'fluent-bit'), {
      kind: 'unordered',
    });
  });

  const containerArbitrary = fc.record({
    name: fc.constantFrom('istio-proxy', 'fluent-bit', 'app', 'worker'),
    restartPolicy: fc.option(fc.constantFrom('Always', 'Never'), {
      nil: undefined,
    }),
    lifecycle: fc.option(fc.constant(hook), { nil: undefined }),
  });
  const podArbitrary: fc.Arbitrary<OrderingPod> = fc.record({
    annotations: fc.option(
      fc.dictionary(
        fc.constantFrom(ISTIO_PROXY_CONFIG_ANNOTATION, 'other'),
        fc.constantFrom('holdApplicationUntilProxyStarts: true', 'x: 1'),
      ),
      { nil: undefined },
    ),
    initContainers: fc.uniqueArray(containerArbitrary, {
      selector: c => c.name,
      maxLength: 2,
    }),
    containers: fc.uniqueArray(containerArbitrary, {
      selector: c => c.name,
      minLength: 1,
      maxLength: 4,
    }),
  });

  it('property: native exactly for init containers with restartPolicy Always, and every long-running container gets an answer', () => {
    fc.assert(
      fc.property(podArbitrary, pod => {
        const inits = new Set(pod.initContainers!.map(c => c.name));
        for (const c of pod.initContainers!) {
          const ordering = classifyStartOrdering(pod, c.name);
          if (c.restartPolicy === 'Always')
            assert.deepEqual(ordering, { kind: 'native' });
          else assert.equal(ordering, undefined);
        }
        for (const c of pod.containers) {
          if (inits.has(c.name)) continue;
          const ordering = classifyStartOrdering(pod, c.name);
          assert.ok(ordering);
          assert.notEqual(ordering.kind, 'native');
        }
      }),
    );
  });

  it('property: the last container is held back by nothing of its own, and moving the app after a hooked sidecar orders it', () => {
    fc.assert(
      fc.property(podArbitrary, pod => {
        const containers = pod.containers.filter(
          c => !pod.initContainers!.some(i => i.name === c.name),
        );
        if (containers.length === 0) return;
        const plain = { ...pod, annotations: {}, containers };
        const last = containers[containers.length - 1]!;
        assert.deepEqual(classifyStartOrdering(plain, last.name), {
          kind: 'unordered',
        });
        const sidecar = containers[0]!;
        const reordered: OrderingPod = {
          ...plain,
          containers: [
            { ...sidecar, lifecycle: hook },
            ...containers.slice(1),
            { name: 'the-app' },
          ],
        };
        assert.deepEqual(classifyStartOrdering(reordered, sidecar.name), {
          kind: 'start-hook',
          hook: 'postStart',
        });
      }),
    );
  });
});

describe('adviseStartOrdering', () => {
  it('tells an owner of an unordered istio-proxy what may fail and how to fix it', () => {
    const advice = adviseStartOrdering('istio-proxy', { kind: 'unordered' });
    assert.equal(advice.risk, 'at-risk');
    assert.match(
      advice.summary,
      /Your app may start before istio-proxy is ready and fail its first requests/,
    );
    assert.match(advice.fix!, /native sidecar .*Kubernetes ≥1\.29/);
    assert.match(advice.fix!, /a campaign in mode "to-native" does that/);
    assert.match(advice.fix!, /holdApplicationUntilProxyStarts/);
  });

  it('sends the owner of an injected sidecar to its injector, except for the Istio annotation the pod template holds', () => {
    assert.match(
      adviseStartOrdering('fluent-bit', { kind: 'unordered' }, true).fix!,
      /added by an injector, so ask the team that runs it to inject it as a native sidecar/,
    );
    const istio = adviseStartOrdering(
      'istio-proxy',
      { kind: 'unordered' },
      true,
    ).fix!;
    assert.match(
      istio,
      /holdApplicationUntilProxyStarts: true .* of your pod template/,
    );
    assert.doesNotMatch(istio, /init container/);
  });

  it('suggests a start hook for other sidecars, only shutdown for hooked ones, and nothing for native ones', () => {
    assert.match(
      adviseStartOrdering('fluent-bit', { kind: 'unordered' }).fix!,
      /postStart hook/,
    );
    const hooked = adviseStartOrdering('vault-agent', {
      kind: 'start-hook',
      hook: 'postStart',
    });
    assert.equal(hooked.risk, 'partial');
    assert.match(hooked.summary, /may still stop before your app/);
    assert.deepEqual(
      adviseStartOrdering('cloud-sql-proxy', { kind: 'native' }).fix,
      undefined,
    );
  });
});
