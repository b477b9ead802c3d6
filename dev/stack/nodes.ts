import type { V1Node } from '@kubernetes/client-node';

export const ZONES = ['zone-a', 'zone-b', 'zone-c'];

/** Fake nodes that KWOK plays the kubelet for, spread across zones for topology-aware batches. */
export function fakeNodes(count: number): V1Node[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `kwok-node-${i}`;
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        annotations: {
          'kwok.x-k8s.io/node': 'fake',
          'node.alpha.kubernetes.io/ttl': '0',
        },
        labels: {
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'topology.kubernetes.io/zone': ZONES[i % ZONES.length]!,
          type: 'kwok',
        },
      },
    };
  });
}
