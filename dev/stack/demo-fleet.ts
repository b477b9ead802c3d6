import type {
  V1Container,
  V1Deployment,
  V1Namespace,
} from '@kubernetes/client-node';

/**
 * The demo fleet `npm start` seeds: services in three namespaces with istio-proxy and fluent-bit
 * injected at admission (MutatingAdmissionPolicy, the way a mesh injector works) and
 * cloud-sql-proxy / fluent-bit / otel-collector declared in pod templates, some as native
 * sidecars. For the start-ordering report it has each kind: native sidecars, legacy ones the app
 * waits for (a postStart hook ahead of the app; Istio's holdApplicationUntilProxyStarts) and
 * legacy ones nothing orders.
 */
export interface DemoService {
  name: string;
  namespace: string;
  owner: string;
  description: string;
  replicas: number;
  injectIstio: boolean;
  declaredSidecars: DeclaredSidecar[];
  podAnnotations?: Record<string, string>;
}

export interface DeclaredSidecar {
  name: string;
  image: string;
  native: boolean;
  /** A legacy sidecar listed before the app with a postStart hook that waits until it is ready. */
  startHook?: boolean;
}

/** Istio's per-pod proxy settings, asking its injector to hold the app until the proxy is ready. */
export const HOLD_APPLICATION_UNTIL_PROXY_STARTS = {
  'proxy.istio.io/config': 'holdApplicationUntilProxyStarts: true',
};

export interface DemoNamespace {
  name: string;
  istioRevision?: string;
  injectFluentBit: boolean;
}

export const ISTIO_REVISIONS: Record<string, string> = {
  '1-22': 'docker.io/istio/proxyv2:1.22.3',
  '1-23': 'docker.io/istio/proxyv2:1.23.1',
};
export const INJECTED_FLUENT_BIT_IMAGE =
  'cr.fluentbit.io/fluent/fluent-bit:3.1.4';

export const DEMO_NAMESPACES: DemoNamespace[] = [
  { name: 'payments', istioRevision: '1-22', injectFluentBit: true },
  { name: 'checkout', istioRevision: '1-23', injectFluentBit: false },
  { name: 'catalog', injectFluentBit: false },
];

const cloudSqlProxy = (
  version: string,
  native: boolean,
  startHook = false,
): DeclaredSidecar => ({
  name: 'cloud-sql-proxy',
  image: `gcr.io/cloud-sql-connectors/cloud-sql-proxy:${version}`,
  native,
  ...(startHook ? { startHook } : {}),
});

export const DEMO_SERVICES: DemoService[] = [
  {
    name: 'payments-api',
    namespace: 'payments',
    owner: 'team-payments',
    description: 'Card and wallet payments API',
    replicas: 4,
    injectIstio: true,
    declaredSidecars: [],
  },
  {
    name: 'ledger',
    namespace: 'payments',
    owner: 'team-payments',
    description: 'Double-entry ledger',
    replicas: 3,
    injectIstio: true,
    declaredSidecars: [cloudSqlProxy('2.13.0', true)],
  },
  {
    name: 'checkout-web',
    namespace: 'checkout',
    owner: 'team-checkout',
    description: 'Checkout front end',
    replicas: 3,
    injectIstio: true,
    declaredSidecars: [],
    podAnnotations: HOLD_APPLICATION_UNTIL_PROXY_STARTS,
  },
  {
    name: 'cart',
    namespace: 'checkout',
    owner: 'team-checkout',
    description: 'Shopping cart service',
    replicas: 2,
    injectIstio: true,
    declaredSidecars: [cloudSqlProxy('2.11.0', false, true)],
  },
  {
    name: 'catalog-search',
    namespace: 'catalog',
    owner: 'team-catalog',
    description: 'Product search',
    replicas: 3,
    injectIstio: false,
    declaredSidecars: [
      cloudSqlProxy('2.11.0', true),
      {
        name: 'fluent-bit',
        image: 'cr.fluentbit.io/fluent/fluent-bit:3.0.7',
        native: false,
      },
    ],
  },
  {
    name: 'inventory-sync',
    namespace: 'catalog',
    owner: 'team-catalog',
    description: 'Inventory synchronisation worker',
    replicas: 2,
    injectIstio: false,
    declaredSidecars: [
      cloudSqlProxy('2.8.2', false),
      {
        name: 'otel-collector',
        image: 'otel/opentelemetry-collector-contrib:0.111.0',
        native: false,
      },
    ],
  },
];

export interface DemoFleet {
  namespaces: DemoNamespace[];
  services: DemoService[];
}

export const DEMO_FLEET: DemoFleet = {
  namespaces: DEMO_NAMESPACES,
  services: DEMO_SERVICES,
};

const smallResources = (cpu: string, memory: string) => ({
  requests: { cpu, memory },
  limits: { memory },
});

/** The kubelet starts the next container only once this returns: when the sidecar listens. */
const WAIT_UNTIL_LISTENING = {
  exec: {
    command: ['sh', '-c', 'until nc -z 127.0.0.1 5432; do sleep 0.5; done'],
  },
};

export function namespaceObject(ns: DemoNamespace): V1Namespace {
  const labels: Record<string, string> = {};
  if (ns.istioRevision) labels['istio.io/rev'] = ns.istioRevision;
  if (ns.injectFluentBit)
    labels['logging.example.com/fluent-bit-injection'] = 'enabled';
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns.name, labels },
  };
}

export function deploymentObject(service: DemoService): V1Deployment {
  const podLabels: Record<string, string> = {
    app: service.name,
    'backstage.io/kubernetes-id': service.name,
  };
  if (service.injectIstio) podLabels['sidecar.istio.io/inject'] = 'true';
  const sidecar = (s: DeclaredSidecar): V1Container => ({
    name: s.name,
    image: s.image,
    resources: smallResources('50m', '64Mi'),
    ...(s.native ? { restartPolicy: 'Always' } : {}),
    ...(s.startHook ? { lifecycle: { postStart: WAIT_UNTIL_LISTENING } } : {}),
  });
  const regular = service.declaredSidecars.filter(s => !s.native);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: service.name,
      namespace: service.namespace,
      labels: { app: service.name, 'backstage.io/kubernetes-id': service.name },
    },
    spec: {
      replicas: service.replicas,
      selector: { matchLabels: { app: service.name } },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 1, maxSurge: 1 },
      },
      template: {
        metadata: {
          labels: podLabels,
          ...(service.podAnnotations
            ? { annotations: service.podAnnotations }
            : {}),
        },
        spec: {
          initContainers: service.declaredSidecars
            .filter(s => s.native)
            .map(sidecar),
          containers: [
            ...regular.filter(s => s.startHook).map(sidecar),
            {
              name: service.name,
              image: `registry.example.com/${service.name}:1.4.2`,
              resources: smallResources('250m', '256Mi'),
            },
            ...regular.filter(s => !s.startHook).map(sidecar),
          ],
        },
      },
    },
  };
}
