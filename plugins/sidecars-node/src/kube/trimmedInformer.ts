import {
  ListWatch,
  Watch,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { listSnapshot, type Page, type PageRequest } from './requests';

export interface TrimmedInformerOptions<Raw, Trimmed extends KubernetesObject> {
  kubeConfig: KubeConfig;
  /** The watch path, e.g. /api/v1/pods. */
  path: string;
  /** A server-side label selector for the list and the watch; absent watches everything. */
  labelSelector?: string;
  /** Objects per list page. */
  pageSize?: number;
  /** One page of the list (given the selector, the page size and the continue token). */
  listPage(request: PageRequest): Promise<Page<Raw>>;
  trim(raw: Raw): Trimmed;
  /** Called whenever the informer hears from the API server: a list, an event, a bookmark, a (re)connect. */
  heard?(): void;
}

const DEFAULT_PAGE_SIZE = 500;
const OBJECT_EVENTS = new Set(['ADDED', 'MODIFIED', 'DELETED']);

type WatchCallback = Parameters<Watch['watch']>[2];

/**
 * The watch under a trimmed informer: it hands the informer trimmed objects (so the informer's
 * cache never holds a whole object), asks for bookmarks, and reports each time it hears from the
 * API server.
 */
class TrimmingWatch<Raw> extends Watch {
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

/**
 * An informer whose cache holds only trimmed objects: the list is paged (one consistent snapshot)
 * and trimmed page by page, and the watch trims each event before the informer stores it. A whole
 * pod is several times its trimmed form, and a cache of tens of thousands of them is most of a
 * process's memory.
 */
export function trimmedInformer<Raw, Trimmed extends KubernetesObject>(
  options: TrimmedInformerOptions<Raw, Trimmed>,
): ListWatch<Trimmed> {
  const heard = options.heard ?? (() => {});
  const list = async (): Promise<KubernetesListObject<Trimmed>> => {
    const { items, resourceVersion } = await listSnapshot(async token => {
      const page = await options.listPage({
        labelSelector: options.labelSelector,
        limit: options.pageSize ?? DEFAULT_PAGE_SIZE,
        _continue: token,
      });
      return {
        items: page.items,
        continueToken: page.metadata?._continue,
        resourceVersion: page.metadata?.resourceVersion,
      };
    }, options.trim);
    heard();
    return { metadata: { resourceVersion }, items };
  };
  const watch = new TrimmingWatch<Raw>(options.kubeConfig, options.trim, heard);
  return new ListWatch<Trimmed>(
    options.path,
    watch,
    list,
    false,
    options.labelSelector,
  );
}
