import { createServer, type Server } from 'node:http';
import {
  CoreV1Api,
  makeInformer,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import { Gauge, Registry } from 'prom-client';

/**
 * What the local stack's Prometheus scrapes about the fake pods: a watch of every pod, served as
 * `sidecar_container_ready{namespace,pod,container,image}` (1 Ready, 0 not) and
 * `sidecar_container_restarts_total{namespace,pod,container}` (the kubelet's restartCount), for
 * regular and native-sidecar containers alike, like kube-state-metrics' container series.
 */
export interface PodExporter {
  port: number;
  stop(): Promise<void>;
}

const LABELS = ['namespace', 'pod', 'container', 'image'] as const;

function registryOver(pods: ReadonlyMap<string, V1Pod>): Registry {
  const registry = new Registry();
  const each = (
    visit: (
      labels: Record<(typeof LABELS)[number], string>,
      ready: boolean,
      restarts: number,
    ) => void,
  ) => {
    for (const pod of pods.values()) {
      const statuses = [
        ...(pod.status?.containerStatuses ?? []),
        ...(pod.status?.initContainerStatuses ?? []),
      ];
      for (const status of statuses)
        visit(
          {
            namespace: pod.metadata?.namespace ?? '',
            pod: pod.metadata?.name ?? '',
            container: status.name,
            image: status.image,
          },
          status.ready,
          status.restartCount,
        );
    }
  };
  registry.registerMetric(
    new Gauge({
      name: 'sidecar_container_ready',
      help: 'Whether the container reports ready (1) or not (0).',
      labelNames: LABELS,
      registers: [],
      collect() {
        this.reset();
        each((labels, ready) => this.set(labels, ready ? 1 : 0));
      },
    }),
  );
  registry.registerMetric(
    new Gauge({
      name: 'sidecar_container_restarts_total',
      help: "The container's restart count, as the kubelet reports it.",
      labelNames: ['namespace', 'pod', 'container'],
      registers: [],
      collect() {
        this.reset();
        each(({ namespace, pod, container }, _ready, restarts) =>
          this.set({ namespace, pod, container }, restarts),
        );
      },
    }),
  );
  return registry;
}

const key = (pod: V1Pod) => `${pod.metadata?.namespace}/${pod.metadata?.name}`;

/** Watches every pod of the cluster and serves their containers' state on 127.0.0.1:`port`/metrics. */
export async function startPodExporter(
  kc: KubeConfig,
  port: number,
): Promise<PodExporter> {
  const api = kc.makeApiClient(CoreV1Api);
  const informer = makeInformer(kc, '/api/v1/pods', () =>
    api.listPodForAllNamespaces(),
  );
  const pods = new Map<string, V1Pod>();
  informer.on('add', pod => pods.set(key(pod), pod));
  informer.on('update', pod => pods.set(key(pod), pod));
  informer.on('delete', pod => pods.delete(key(pod)));
  let stopped = false;
  // A dropped watch is started again, as an informer in a controller would be, until stop().
  informer.on('error', () => {
    if (!stopped) setTimeout(() => stopped || void informer.start(), 1_000);
  });
  await informer.start();
  const registry = registryOver(pods);
  const server: Server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      text =>
        response
          .writeHead(200, { 'content-type': registry.contentType })
          .end(text),
      error => response.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port,
    async stop() {
      stopped = true;
      await informer.stop();
      await new Promise(resolve => server.close(resolve));
    },
  };
}
