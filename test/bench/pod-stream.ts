import { setTimeout as delay } from 'node:timers/promises';
import { Watch, type KubeConfig, type V1Pod } from '@kubernetes/client-node';

const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';
const RETRY_MS = 500;

interface StreamedObject {
  metadata?: {
    resourceVersion?: string;
    annotations?: Record<string, string>;
  };
}

/**
 * Streams the pods at `path` to `seen`, keeping none of them: one watch that starts with every pod
 * as an event (`sendInitialEvents`, from the API server's watch cache, so 100,000 pods need no
 * list), then follows. It resumes from the last event's resourceVersion, and streams the whole
 * state again only when that is too old (410). Resolves once the initial state has been sent.
 */
export async function streamPods(
  kc: KubeConfig,
  path: string,
  labelSelector: string | undefined,
  seen: (pod: V1Pod) => void,
): Promise<{ stop(): void }> {
  const watch = new Watch(kc);
  let resourceVersion: string | undefined;
  let stopped = false;
  let abort: AbortController | undefined;
  let synced: () => void = () => {};
  const initialState = new Promise<void>(resolve => {
    synced = resolve;
  });

  const run = async (): Promise<void> => {
    if (stopped) return;
    const query = {
      labelSelector,
      allowWatchBookmarks: true,
      ...(resourceVersion
        ? { resourceVersion }
        : { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan' }),
    };
    const restart = async (error?: unknown) => {
      if ((error as { statusCode?: number; code?: number })?.statusCode === 410)
        resourceVersion = undefined;
      if (error) await delay(RETRY_MS);
      void run();
    };
    try {
      abort = await watch.watch(
        path,
        query,
        (type: string, object: StreamedObject) => {
          if (type === 'ERROR') {
            // A watch event of 410: the resourceVersion is too old to resume from.
            if ((object as { code?: number }).code === 410)
              resourceVersion = undefined;
            return;
          }
          resourceVersion = object.metadata?.resourceVersion ?? resourceVersion;
          if (type === 'BOOKMARK') {
            if (object.metadata?.annotations?.[INITIAL_EVENTS_END] === 'true')
              synced();
            return;
          }
          if (type !== 'DELETED') seen(object as V1Pod);
        },
        error => void restart(error),
      );
    } catch (error) {
      await restart(error ?? new Error('the watch could not start'));
    }
  };
  await run();
  await initialState;
  return {
    stop() {
      stopped = true;
      abort?.abort();
    },
  };
}
