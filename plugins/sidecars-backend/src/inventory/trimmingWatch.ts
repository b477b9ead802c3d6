import { Watch, type KubeConfig } from '@kubernetes/client-node';

type WatchCallback = (
  phase: string,
  apiObj: unknown,
  watchObj?: unknown,
) => void;
const OBJECT_EVENTS = new Set(['ADDED', 'MODIFIED', 'DELETED']);

/**
 * The watch under an informer: it hands the informer trimmed objects (so the informer's cache never
 * holds a full object), asks for bookmarks, and reports each time it hears from the API server.
 */
export class TrimmingWatch<Raw> extends Watch {
  constructor(
    config: KubeConfig,
    private readonly trim: (raw: Raw) => unknown,
    private readonly heard: () => void,
  ) {
    super(config);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: WatchCallback,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    let ended = false;
    const controller = await super.watch(
      path,
      { ...queryParams, allowWatchBookmarks: true },
      (phase: string, object: unknown, event: unknown) => {
        this.heard();
        callback(
          phase,
          OBJECT_EVENTS.has(phase) ? this.trim(object as Raw) : object,
          event,
        );
      },
      (err: unknown) => {
        ended = true;
        done(err);
      },
    );
    // The API server accepted the watch: the cache is current as of now.
    if (!ended) this.heard();
    return controller;
  }
}
