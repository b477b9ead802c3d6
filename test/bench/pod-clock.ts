import { setTimeout as delay } from 'node:timers/promises';
import type { V1Pod } from '@kubernetes/client-node';
import {
  containerStatus,
  isPodReady,
  type TestCluster,
} from '../support/cluster';
import { streamPods } from './pod-stream';

/** Which pods a clock watches: a namespace's, or those matching a label selector in every namespace. */
export type PodScope =
  | { namespace: string; labelSelector?: undefined }
  | { namespace?: undefined; labelSelector: string };

/**
 * Watches the pods in `scope` and timestamps, per pod, when its container's spec image first became
 * an image (the patch) and when it first ran that image Ready (settled). Independent of the worker.
 */
export async function podClock(
  cluster: TestCluster,
  scope: PodScope,
  container: string,
) {
  const patchedAt = new Map<string, Map<string, number>>();
  const settledAt = new Map<string, Map<string, number>>();
  const listeners = new Set<() => void>();
  let lastEventAt = performance.now();
  const stamp = (
    book: Map<string, Map<string, number>>,
    image: string,
    pod: string,
  ) => {
    const byPod = book.get(image) ?? new Map<string, number>();
    book.set(image, byPod);
    if (!byPod.has(pod)) byPod.set(pod, performance.now());
  };
  const stampPod = (pod: V1Pod) => {
    lastEventAt = performance.now();
    const name = `${pod.metadata!.namespace}/${pod.metadata!.name}`;
    const image = pod.spec?.containers.find(c => c.name === container)?.image;
    if (!image) return;
    stamp(patchedAt, image, name);
    if (containerStatus(pod, container)?.image === image && isPodReady(pod))
      stamp(settledAt, image, name);
    for (const listener of listeners) listener();
  };
  // A stream, not a list: a list of 100,000 pods took longer than the API server keeps the events
  // to resume from, so a list-then-watch clock kept listing the fleet again.
  const feed = await streamPods(
    cluster.kc,
    scope.namespace
      ? `/api/v1/namespaces/${scope.namespace}/pods`
      : '/api/v1/pods',
    scope.labelSelector,
    stampPod,
  );

  const times = (book: Map<string, Map<string, number>>, image: string) => [
    ...(book.get(image)?.values() ?? []),
  ];
  return {
    patchTimes: (image: string) => times(patchedAt, image),
    settleTimes: (image: string) => times(settledAt, image),
    /** Per pod that settled on `image`: how long from its patch until it ran the image Ready. */
    inFlightTimes: (image: string) =>
      [...(settledAt.get(image) ?? new Map<string, number>())].map(
        ([pod, settled]) =>
          settled - (patchedAt.get(image)?.get(pod) ?? settled),
      ),
    settledCount: (image: string) => settledAt.get(image)?.size ?? 0,
    /** Resolves when `count` pods run `image` Ready. */
    settled(image: string, count: number): Promise<number> {
      return new Promise(resolve => {
        const check = () => {
          if ((settledAt.get(image)?.size ?? 0) < count) return;
          listeners.delete(check);
          resolve(Math.max(...times(settledAt, image)));
        };
        listeners.add(check);
        check();
      });
    },
    /**
     * Resolves once no pod has changed for `quietMs`: the emulated kubelet has played every stage it
     * queued. A fleet's Deployments report every pod Ready well before that at tens of thousands of pods.
     */
    async quiet(quietMs: number): Promise<void> {
      for (;;) {
        const idle = performance.now() - lastEventAt;
        if (idle >= quietMs) return;
        await delay(quietMs - idle);
      }
    },
    stop: () => feed.stop(),
  };
}

export type PodClock = Awaited<ReturnType<typeof podClock>>;
