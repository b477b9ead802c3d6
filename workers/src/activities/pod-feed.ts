import {
  ADD,
  DELETE,
  ERROR,
  ListWatch,
  UPDATE,
  Watch,
  type V1Pod,
} from '@kubernetes/client-node';
import type { CampaignRef } from '@internal/sidecar-workflows';
import { listPodsToWatch } from '../kube/api';
import { settleView } from '../kube/pod-model';
import {
  targetClusters,
  targetKey,
  type ActivityDependencies,
  type ClusterTarget,
} from './context';

const RESTART_DELAY_MS = 1000;
const POD_EVENTS = new Set(['ADDED', 'MODIFIED', 'DELETED']);

/**
 * A watch that hands on each pod as `settleView` shows it. ListWatch caches every object it is
 * given, and a whole pod (managed fields, volumes, tolerations) is several times the settle view:
 * for a window of 100,000 pods that cache was most of the worker's memory.
 */
class SettleViewWatch extends Watch {
  override watch(...[path, query, callback, done]: Parameters<Watch['watch']>) {
    return super.watch(
      path,
      query,
      (phase, object: V1Pod, watchObject) =>
        callback(
          phase,
          POD_EVENTS.has(phase) ? settleView(object) : object,
          watchObject,
        ),
      done,
    );
  }
}

export interface PodFeedHandlers {
  changed(target: ClusterTarget<V1Pod>): void;
  deleted(key: string): void;
}

/**
 * Keeps `handlers` told of every pod matching `labelSelector` in the campaign's clusters, as
 * `settleView` shows it: a list, then a watch from its resourceVersion per cluster. client-node's ListWatch lists again after a
 * 410 and resumes after a timeout; on any other error the watch restarts after a second.
 * Resolves once every cluster's first list has been delivered.
 */
export async function watchPods(
  deps: ActivityDependencies,
  ref: CampaignRef,
  labelSelector: string,
  handlers: PodFeedHandlers,
) {
  const feeds = targetClusters(deps, ref.spec).map(([cluster, kc]) => {
    const feed = new ListWatch<V1Pod>(
      '/api/v1/pods',
      new SettleViewWatch(kc),
      () => listPodsToWatch(kc, labelSelector, settleView),
      false,
      labelSelector,
    );
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
