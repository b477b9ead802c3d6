import { Watch, type V1Pod } from '@kubernetes/client-node';
import { containerStatus, isPodReady, type TestCluster } from '../support/cluster';

/**
 * Watches a namespace's pods and timestamps, per pod, when its container's spec image first became
 * an image (the patch) and when it first ran that image Ready (settled). Independent of the worker.
 */
export async function podClock(cluster: TestCluster, namespace: string, container: string) {
  const patchedAt = new Map<string, Map<string, number>>();
  const settledAt = new Map<string, Map<string, number>>();
  const listeners = new Set<() => void>();
  const stamp = (book: Map<string, Map<string, number>>, image: string, pod: string) => {
    const byPod = book.get(image) ?? new Map<string, number>();
    book.set(image, byPod);
    if (!byPod.has(pod)) byPod.set(pod, performance.now());
  };
  const watch = new Watch(cluster.kc);
  const request = await watch.watch(
    `/api/v1/namespaces/${namespace}/pods`,
    { allowWatchBookmarks: false },
    (type: string, pod: V1Pod) => {
      if (type === 'DELETED') return;
      const name = pod.metadata!.name!;
      const image = pod.spec?.containers.find(c => c.name === container)?.image;
      if (!image) return;
      stamp(patchedAt, image, name);
      if (containerStatus(pod, container)?.image === image && isPodReady(pod)) stamp(settledAt, image, name);
      for (const listener of listeners) listener();
    },
    () => undefined,
  );

  const times = (book: Map<string, Map<string, number>>, image: string) => [...(book.get(image)?.values() ?? [])];
  return {
    patchTimes: (image: string) => times(patchedAt, image),
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
    stop: () => request.abort(),
  };
}

export type PodClock = Awaited<ReturnType<typeof podClock>>;
