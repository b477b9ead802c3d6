import {
  Watch,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';

export type StreamEvent<T> = {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: T;
};

export interface ObjectStream {
  stop(): void;
}

/**
 * Every change to the objects at `path` (e.g. `/api/v1/namespaces/x/pods`), delivered in order.
 * The apiserver ends watches after a while; the stream resumes from the last resourceVersion it
 * saw, so no change is missed across reconnects.
 */
export async function streamObjects<T extends KubernetesObject>(
  kc: KubeConfig,
  path: string,
  onEvent: (event: StreamEvent<T>) => void,
): Promise<ObjectStream> {
  const watch = new Watch(kc);
  let resourceVersion: string | undefined;
  let controller: AbortController | undefined;
  let stopped = false;
  const connect = async (): Promise<void> => {
    controller = await watch.watch(
      path,
      resourceVersion
        ? { resourceVersion, allowWatchBookmarks: true }
        : { allowWatchBookmarks: true },
      (type: string, object: T) => {
        resourceVersion = object.metadata?.resourceVersion ?? resourceVersion;
        if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')
          onEvent({ type, object });
      },
      (error: unknown) => {
        if (stopped) return;
        // 410 Gone: the resourceVersion is too old to resume from; start over with a fresh list.
        if (error && String(error).includes('410')) resourceVersion = undefined;
        reconnect();
      },
    );
  };
  function reconnect(): void {
    if (!stopped) connect().catch(() => setTimeout(reconnect, 500));
  }
  await connect();
  return {
    stop() {
      stopped = true;
      controller?.abort();
    },
  };
}
