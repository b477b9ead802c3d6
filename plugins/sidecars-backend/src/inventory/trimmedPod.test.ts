import type { V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { trimController, trimPod } from './trimmedPod';

const fullPod: V1Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    namespace: 'payments',
    name: 'ledger-abc',
    resourceVersion: '42',
    uid: 'pod-uid',
    labels: { app: 'ledger' },
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': '{"a huge":"blob"}',
      'proxy.istio.io/config': 'holdApplicationUntilProxyStarts: true',
    },
    managedFields: [
      { manager: 'kube-controller-manager', operation: 'Update' },
    ],
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'ledger-rs',
        uid: 'rs-uid',
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  },
  spec: {
    nodeName: 'kwok-node-0',
    volumes: [{ name: 'data', emptyDir: {} }],
    initContainers: [
      { name: 'migrate', image: 'ledger-migrate:1', command: ['migrate'] },
      {
        name: 'cloud-sql-proxy',
        image: 'cloud-sql-proxy:2.13.0',
        restartPolicy: 'Always',
        resources: { requests: { cpu: '50m' } },
      },
    ],
    containers: [
      {
        name: 'ledger',
        image: 'ledger:3',
        env: [{ name: 'SECRET', value: 'x' }],
        ports: [{ containerPort: 8080 }],
        lifecycle: {
          postStart: { exec: { command: ['sh', '-c', 'wait-for-it'] } },
          preStop: { exec: { command: ['sleep', '5'] } },
        },
        resources: {
          requests: { cpu: '200m', memory: '128Mi' },
          limits: { memory: '256Mi' },
        },
      },
    ],
  },
  status: {
    phase: 'Running',
    podIP: '10.0.0.1',
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: 'True', lastTransitionTime: new Date(0) },
    ],
    containerStatuses: [
      {
        name: 'ledger',
        ready: true,
        restartCount: 2,
        image: 'ledger:3',
        imageID: 'sha256:1',
        started: true,
        state: {
          waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' },
        },
      },
    ],
    initContainerStatuses: [
      {
        name: 'cloud-sql-proxy',
        ready: true,
        restartCount: 0,
        image: 'cloud-sql-proxy:2.13.0',
        imageID: 'sha256:2',
      },
    ],
  },
};

describe('trimPod', () => {
  it('keeps exactly what the inventory reads', () => {
    expect(trimPod(fullPod)).toEqual({
      metadata: {
        namespace: 'payments',
        name: 'ledger-abc',
        resourceVersion: '42',
        labels: { app: 'ledger' },
        annotations: {
          'proxy.istio.io/config': 'holdApplicationUntilProxyStarts: true',
        },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: 'ledger-rs',
            uid: 'rs-uid',
            controller: true,
          },
        ],
      },
      spec: {
        initContainers: [
          { name: 'migrate', image: 'ledger-migrate:1' },
          {
            name: 'cloud-sql-proxy',
            image: 'cloud-sql-proxy:2.13.0',
            restartPolicy: 'Always',
            resources: { requests: { cpu: '50m' } },
          },
        ],
        containers: [
          {
            name: 'ledger',
            image: 'ledger:3',
            lifecycle: { postStart: {} },
            resources: {
              requests: { cpu: '200m', memory: '128Mi' },
              limits: { memory: '256Mi' },
            },
          },
        ],
      },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          {
            name: 'ledger',
            ready: true,
            restartCount: 2,
            image: 'ledger:3',
            imageID: 'sha256:1',
            state: { waiting: { reason: 'CrashLoopBackOff' } },
          },
        ],
        initContainerStatuses: [
          {
            name: 'cloud-sql-proxy',
            ready: true,
            restartCount: 0,
            image: 'cloud-sql-proxy:2.13.0',
            imageID: 'sha256:2',
          },
        ],
      },
    });
  });

  it('trims the raw JSON a watch event carries the same way', () => {
    expect(trimPod(JSON.parse(JSON.stringify(fullPod)) as V1Pod)).toEqual(
      trimPod(fullPod),
    );
  });

  it('reads a pod the scheduler has not touched yet', () => {
    expect(
      trimPod({
        metadata: { namespace: 'a', name: 'b' },
        spec: { containers: [{ name: 'c' }] },
      }),
    ).toEqual({
      metadata: { namespace: 'a', name: 'b', resourceVersion: undefined },
      spec: { containers: [{ name: 'c', image: undefined }] },
      status: { phase: undefined, conditions: undefined },
    });
  });
});

describe('trimController', () => {
  it('keeps the owner and the names its template declares', () => {
    const rs: V1ReplicaSet = {
      metadata: {
        namespace: 'payments',
        name: 'ledger-rs',
        resourceVersion: '7',
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'ledger',
            uid: 'd',
            controller: true,
          },
        ],
      },
      spec: {
        selector: { matchLabels: { app: 'ledger' } },
        template: {
          spec: {
            initContainers: [
              { name: 'cloud-sql-proxy', restartPolicy: 'Always' },
            ],
            containers: [{ name: 'ledger', image: 'ledger:3', env: [] }],
          },
        },
      },
    };
    expect(trimController(rs)).toEqual({
      metadata: {
        namespace: 'payments',
        name: 'ledger-rs',
        resourceVersion: '7',
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'ledger',
            uid: 'd',
            controller: true,
          },
        ],
      },
      declaredContainers: ['ledger', 'cloud-sql-proxy'],
    });
  });

  it('has no declared names when there is no template', () => {
    expect(
      trimController({ metadata: { namespace: 'a', name: 'b' } }),
    ).not.toHaveProperty('declaredContainers');
  });
});
