import {
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  type KubernetesObject,
  type ListWatch,
} from '@kubernetes/client-node';
import {
  describeClusterError,
  trimmedInformer,
  withTimeout,
  type Page,
  type PageRequest,
} from '@internal/plugin-sidecars-node';
import { FleetCounts } from './fleetCounts';
import {
  cachedOwnerOf,
  type ControllerLookup,
  type InventoryOwner,
} from './owners';
import { PodIndex } from './podIndex';
import {
  trimController,
  trimPod,
  type TrimmedController,
  type TrimmedPod,
} from './trimmedPod';

export interface ClusterWatchOptions {
  /** Bound on each page of a list. */
  timeoutMs: number;
  /** How long a failing watch keeps serving what it holds before the cluster is listed directly instead. */
  graceMs: number;
  now?: () => number;
}

/** Whether the cache may answer for the cluster, and as of when. */
export type WatchFreshness =
  { serving: true; syncedAt: Date } | { serving: false; reason: string };

/** What is known of a feed's health, before its informer exists too. */
interface FeedState {
  resource: string;
  /** Last time the feed heard from the API server; set once its first list completed. */
  heardAt?: number;
  failingSince?: number;
  error?: string;
  retryMs: number;
  retry?: NodeJS.Timeout;
}

interface Feed extends FeedState {
  informer: { start(): Promise<void>; stop(): Promise<void> };
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/**
 * One cluster's pods and pod controllers, kept current by informers. A feed whose watch fails is
 * restarted with backoff; until every feed has listed once, or once one has failed for longer than
 * the grace period, the cluster is not served from here.
 */
export class ClusterWatch implements ControllerLookup {
  readonly pods = new PodIndex();
  readonly counts: FleetCounts;
  private readonly feeds: Feed[] = [];
  private controllers?: {
    replicaSets: ListWatch<TrimmedController>;
    statefulSets: ListWatch<TrimmedController>;
    daemonSets: ListWatch<TrimmedController>;
  };
  private stopped = false;
  private startError?: string;
  private startRetry?: NodeJS.Timeout;
  private startRetryMs = FIRST_RETRY_MS;
  private readonly now: () => number;

  constructor(
    readonly cluster: string,
    private readonly kubeConfig: () => KubeConfig,
    private readonly options: ClusterWatchOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.counts = new FleetCounts(cluster);
  }

  /** Starts the informers; resolves once each has made its first attempt (it need not have succeeded). */
  async start(): Promise<void> {
    let kc: KubeConfig;
    try {
      kc = this.kubeConfig();
      this.startError = undefined;
    } catch (error) {
      // Credentials that do not exist yet (a kubeconfig still to be written) may exist later.
      this.startError = describeClusterError(error, this.options.timeoutMs);
      this.startRetry = this.later(() => this.start(), this.startRetryMs);
      this.startRetryMs = Math.min(this.startRetryMs * 2, MAX_RETRY_MS);
      return;
    }
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const timeout = () => withTimeout(this.options.timeoutMs);
    const pods = this.feed(
      kc,
      'pods',
      '/api/v1/pods',
      r => core.listPodForAllNamespaces(r, timeout()),
      trimPod,
    );
    const changed = (pod: TrimmedPod) => {
      const replaced = this.pods.upsert(pod);
      if (replaced) this.counts.remove(replaced);
      this.counts.add(pod);
    };
    pods.on('add', changed);
    pods.on('update', changed);
    pods.on('delete', pod => {
      const removed = this.pods.remove(pod);
      if (removed) this.counts.remove(removed);
    });
    this.controllers = {
      replicaSets: this.feed(
        kc,
        'replicasets',
        '/apis/apps/v1/replicasets',
        r => apps.listReplicaSetForAllNamespaces(r, timeout()),
        trimController,
      ),
      statefulSets: this.feed(
        kc,
        'statefulsets',
        '/apis/apps/v1/statefulsets',
        r => apps.listStatefulSetForAllNamespaces(r, timeout()),
        trimController,
      ),
      daemonSets: this.feed(
        kc,
        'daemonsets',
        '/apis/apps/v1/daemonsets',
        r => apps.listDaemonSetForAllNamespaces(r, timeout()),
        trimController,
      ),
    };
    await Promise.all(this.feeds.map(feed => feed.informer.start()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.startRetry);
    for (const feed of this.feeds) clearTimeout(feed.retry);
    await Promise.all(this.feeds.map(feed => feed.informer.stop()));
  }

  freshness(): WatchFreshness {
    if (this.startError)
      return {
        serving: false,
        reason: `the watch could not start: ${this.startError}`,
      };
    if (this.feeds.length === 0)
      return { serving: false, reason: 'the watch has not started' };
    for (const feed of this.feeds) {
      if (
        feed.failingSince !== undefined &&
        this.now() - feed.failingSince >= this.options.graceMs
      ) {
        return {
          serving: false,
          reason: `the ${feed.resource} watch fails: ${feed.error}`,
        };
      }
      if (feed.heardAt === undefined)
        return {
          serving: false,
          reason: feed.error
            ? `the ${feed.resource} list failed: ${feed.error}`
            : 'the watch cache is still loading',
        };
    }
    return {
      serving: true,
      syncedAt: new Date(
        Math.min(...this.feeds.map(feed => feed.heardAt ?? 0)),
      ),
    };
  }

  ownerOf(pod: TrimmedPod): InventoryOwner {
    return cachedOwnerOf(pod, this);
  }

  replicaSet(namespace: string, name: string) {
    return this.controllers?.replicaSets.get(name, namespace);
  }

  statefulSet(namespace: string, name: string) {
    return this.controllers?.statefulSets.get(name, namespace);
  }

  daemonSet(namespace: string, name: string) {
    return this.controllers?.daemonSets.get(name, namespace);
  }

  private feed<Raw, Trimmed extends KubernetesObject>(
    kc: KubeConfig,
    resource: string,
    path: string,
    listPage: (request: PageRequest) => Promise<Page<Raw>>,
    trim: (raw: Raw) => Trimmed,
  ): ListWatch<Trimmed> {
    const state: FeedState = { resource, retryMs: FIRST_RETRY_MS };
    const informer = trimmedInformer<Raw, Trimmed>({
      kubeConfig: kc,
      path,
      listPage,
      trim,
      heard: () => this.heard(state),
    });
    const feed: Feed = Object.assign(state, { informer });
    informer.on('error', (error: unknown) => this.failed(feed, error));
    this.feeds.push(feed);
    return informer;
  }

  /** The feed heard from the API server: it is current, and a later failure backs off afresh. */
  private heard(feed: FeedState): void {
    feed.heardAt = this.now();
    feed.failingSince = undefined;
    feed.error = undefined;
    feed.retryMs = FIRST_RETRY_MS;
  }

  /** The informer stops on an error; start it again after a growing pause. */
  private failed(feed: Feed, error: unknown): void {
    if (this.stopped) return;
    feed.error = describeClusterError(error, this.options.timeoutMs);
    feed.failingSince ??= this.now();
    clearTimeout(feed.retry);
    feed.retry = this.later(() => feed.informer.start(), feed.retryMs);
    feed.retryMs = Math.min(feed.retryMs * 2, MAX_RETRY_MS);
  }

  private later(retry: () => Promise<void>, delayMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      if (!this.stopped) void retry();
    }, delayMs);
    timer.unref();
    return timer;
  }
}
