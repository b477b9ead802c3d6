import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { describeInjector } from './injectors';

const pod = (annotations: Record<string, string> = {}): V1Pod => ({
  metadata: { annotations },
  spec: {
    containers: [
      { name: 'app', image: 'app:1' },
      { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.2' },
    ],
  },
});

describe('describeInjector', () => {
  it('names the policy that injects the image the pod runs, of several that inject the container', () => {
    const policies = [
      {
        name: 'rev-a',
        expressions: [
          'name: "istio-proxy", image: "docker.io/istio/proxyv2:1.22.1"',
        ],
      },
      {
        name: 'rev-b',
        expressions: [
          'name: "istio-proxy", image: "docker.io/istio/proxyv2:1.24.2"',
        ],
      },
      {
        name: 'logs',
        expressions: ['name: "fluent-bit", image: "fluent-bit:3"'],
      },
    ];
    assert.equal(
      describeInjector(policies, pod(), 'istio-proxy'),
      'MutatingAdmissionPolicy "rev-b"',
    );
    assert.equal(
      describeInjector(policies.slice(0, 1), pod(), 'istio-proxy'),
      'MutatingAdmissionPolicy "rev-a"',
      'by container name when no policy sets that image',
    );
  });

  it("names Istio's injector from its status annotation, and nothing it cannot tell", () => {
    const injected = pod({
      'sidecar.istio.io/status':
        '{"containers":["istio-proxy"],"revision":"default"}',
    });
    assert.match(
      describeInjector([], injected, 'istio-proxy') ?? '',
      /Istio's sidecar injector/,
    );
    assert.equal(describeInjector([], pod(), 'istio-proxy'), undefined);
  });
});
