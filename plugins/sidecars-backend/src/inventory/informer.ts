import {
  ListWatch,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type V1ListMeta,
} from '@kubernetes/client-node';
import { listSnapshot } from '@internal/plugin-sidecars-node';
import { TrimmingWatch } from './trimmingWatch';

export interface ListPage<Raw> {
  items: Raw[];
  metadata?: V1ListMeta;
}
export type ListPageRequest = { limit: number; _continue?: string };

export interface TrimmedInformerOptions<Raw, Trimmed extends KubernetesObject> {
  kubeConfig: KubeConfig;
  /** The watch path, e.g. /api/v1/pods. */
  path: string;
  /** One page of the cluster-wide list. */
  listPage(request: ListPageRequest): Promise<ListPage<Raw>>;
  trim(raw: Raw): Trimmed;
  /** Called whenever the informer hears from the API server: a list, an event, a bookmark, a (re)connect. */
  heard(): void;
}

const PAGE_SIZE = 500;

/**
 * An informer whose cache holds only trimmed objects: the list is paged and trimmed page by page,
 * and the watch trims each event before the informer stores it.
 */
export function trimmedInformer<Raw, Trimmed extends KubernetesObject>(
  options: TrimmedInformerOptions<Raw, Trimmed>,
): ListWatch<Trimmed> {
  const list = async (): Promise<KubernetesListObject<Trimmed>> => {
    const { items, resourceVersion } = await listSnapshot(async token => {
      const page = await options.listPage({
        limit: PAGE_SIZE,
        _continue: token,
      });
      return {
        items: page.items,
        continueToken: page.metadata?._continue,
        resourceVersion: page.metadata?.resourceVersion,
      };
    }, options.trim);
    options.heard();
    return { metadata: { resourceVersion }, items };
  };
  const watch = new TrimmingWatch<Raw>(
    options.kubeConfig,
    options.trim,
    options.heard,
  );
  return new ListWatch<Trimmed>(options.path, watch, list, false);
}
