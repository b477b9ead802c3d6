import {
  ADD,
  DELETE,
  ERROR,
  UPDATE,
  type V1Pod,
} from '@kubernetes/client-node';
import { trimmedInformer } from '@internal/plugin-sidecars-node';
import type { CampaignRef } from '@internal/sidecar-workflows';
import { listPodPage } from '../kube/api';
import { settleView } from '../kube/pod-model';
import {
  targetClusters,
  targetKey,
  type ActivityDependencies,
  type ClusterTarget,
} from './context';

const RESTART_DELAY_MS = 1000;
/** Pods the campaign's watch starts from are listed this many at a time. */
const WATCH_LIST_PAGE = 2_000;

export interface PodFeedHandlers {
  changed(target: ClusterTarget<V1Pod>): void;
  deleted(key: string): void;
}

/**
 * Keeps `handlers` told of every pod matching `labelSelector` in the campaign's clusters, as
 * `settleView` shows it (the informer's cache holds only that view): a paged list, then a watch
 * from its resourceVersion per cluster. client-node's ListWatch lists again after a 410 and
 * resumes after a timeout; on any other error the watch restarts after a second.
 * Resolves once every cluster's first list has been delivered.
 */
export async function watchPods(
  deps: ActivityDependencies,
  ref: CampaignRef,
  labelSelector: string,
  handlers: PodFeedHandlers,
) {
  const feeds = targetClusters(deps, ref.spec).map(([cluster, kc]) => {
    const feed = trimmedInformer<V1Pod, V1Pod>({
      kubeConfig: kc,
      path: '/api/v1/pods',
      labelSelector,
      pageSize: WATCH_LIST_PAGE,
      listPage: request => listPodPage(kc, '/api/v1/pods', request),
      trim: settleView,
    });
    const target = (object: V1Pod): ClusterTarget<V1Pod> => ({
      cluster,
      kc,
      object,
    });
    feed.on(ADD, pod => handlers.changed(target(pod)));
    feed.on(UPDATE, pod => handlers.changed(target(pod)));
    feed.on(DELETE, pod => handlers.deleted(targetKey(target(pod))));
    let stopped = false;
    let restart: NodeJS.Timeout | undefined;
    feed.on(ERROR, () => {
      if (!stopped)
        restart = setTimeout(() => void feed.start(), RESTART_DELAY_MS);
    });
    return {
      cluster,
      feed,
      stop() {
        stopped = true;
        clearTimeout(restart);
        return feed.stop();
      },
    };
  });
  const stop = () => Promise.all(feeds.map(f => f.stop()));
  try {
    for (const { cluster, feed } of feeds) {
      await feed.start();
      if (!feed.latestResourceVersion())
        throw new Error(
          `could not list the campaign's pods in cluster ${cluster}`,
        );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}
