import {
  ADD,
  ERROR,
  ListWatch,
  UPDATE,
  Watch,
  type V1Pod,
} from '@kubernetes/client-node';
import {
  containerStatus,
  isPodReady,
  listPodsPaged,
  type TestCluster,
} from '../support/cluster';

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
    const name = `${pod.metadata!.namespace}/${pod.metadata!.name}`;
    const image = pod.spec?.containers.find(c => c.name === container)?.image;
    if (!image) return;
    stamp(patchedAt, image, name);
    if (containerStatus(pod, container)?.image === image && isPodReady(pod))
      stamp(settledAt, image, name);
    for (const listener of listeners) listener();
  };
  // A list, then a watch that lists again after a 410 and restarts after any other error, so a
  // dropped connection under load does not stop the clock.
  const feed = new ListWatch<V1Pod>(
    scope.namespace
      ? `/api/v1/namespaces/${scope.namespace}/pods`
      : '/api/v1/pods',
    new Watch(cluster.kc),
    () => listPodsPaged(cluster, scope.namespace, scope.labelSelector),
    false,
    scope.labelSelector,
  );
  feed.on(ADD, stampPod);
  feed.on(UPDATE, stampPod);
  let stopped = false;
  feed.on(ERROR, () => {
    if (!stopped) setTimeout(() => void feed.start(), 500);
  });
  await feed.start();

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
    stop: () => {
      stopped = true;
      void feed.stop();
    },
  };
}

export type PodClock = Awaited<ReturnType<typeof podClock>>;
