import { ApplicationFailure } from '@temporalio/activity';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  CAMPAIGN_LABELS,
  type CampaignSpec,
} from '@internal/plugin-sidecars-common';
import type { CampaignRef } from '@internal/sidecar-workflows';
import type { ClusterRegistry } from '../kube/clusters';
import type { PrometheusSettings } from '../prometheus';
import {
  targetKindFor,
  type TargetKind,
  type TargetObject,
} from '../kube/targets';

export interface ActivityDependencies {
  clusters: ClusterRegistry;
  /** Whether the campaign with this id is still running (its holds are live). */
  isCampaignActive(campaignId: string): Promise<boolean>;
  /** Where the metric gates' queries go; undefined when the worker has none. */
  prometheus?: PrometheusSettings;
}

/** A pod or Deployment the campaign acts on, with the cluster it lives in. */
export interface ClusterTarget<T extends TargetObject = TargetObject> {
  cluster: string;
  kc: KubeConfig;
  object: T;
}

export const targetKey = ({ cluster, object }: ClusterTarget) =>
  `${cluster}/${object.metadata?.namespace}/${object.metadata?.name}`;

/** The clusters a spec targets; an unknown name fails the campaign instead of being ignored. */
export function targetClusters(
  deps: ActivityDependencies,
  spec: CampaignSpec,
): Array<[string, KubeConfig]> {
  const names = spec.selector.clusters?.length
    ? spec.selector.clusters
    : [...deps.clusters.keys()];
  return names.map(name => {
    const kc = deps.clusters.get(name);
    if (!kc) {
      throw ApplicationFailure.nonRetryable(
        `unknown cluster "${name}": this worker knows ${[...deps.clusters.keys()].join(', ')}; fix selector.clusters or the worker's SIDECAR_CLUSTERS_FILE`,
        'UnknownCluster',
      );
    }
    return [name, kc];
  });
}

/** Objects of `kind` in the campaign's clusters matching a server-side label selector. */
export async function* objectsMatching<T extends TargetObject>(
  deps: ActivityDependencies,
  spec: CampaignSpec,
  kind: TargetKind<T>,
  labelSelector: string,
  namespaces?: readonly string[],
  pageSize?: number,
): AsyncGenerator<ClusterTarget<T>> {
  for (const [cluster, kc] of targetClusters(deps, spec)) {
    for await (const object of kind.list(kc, {
      labelSelector,
      namespaces,
      pageSize,
    }))
      yield { cluster, kc, object };
  }
}

/** The campaign's own targets (pods or Deployments, by mode) matching `labelSelector`, streamed page by page. */
export function streamCampaignTargets(
  deps: ActivityDependencies,
  ref: CampaignRef,
  labelSelector: string,
): AsyncGenerator<ClusterTarget> {
  return objectsMatching(
    deps,
    ref.spec,
    targetKindFor(ref.spec.mode),
    labelSelector,
  );
}

/** The campaign's own targets matching `labelSelector`, all of them; `listed` is called as each arrives. */
export async function campaignTargets(
  deps: ActivityDependencies,
  ref: CampaignRef,
  labelSelector: string,
  listed: () => void = () => undefined,
): Promise<ClusterTarget[]> {
  const found: ClusterTarget[] = [];
  for await (const target of streamCampaignTargets(deps, ref, labelSelector)) {
    found.push(target);
    listed();
  }
  return found;
}

/** How many of the campaign's targets match `labelSelector`, kept nowhere; `counted` is called as each arrives. */
export async function countCampaignTargets(
  deps: ActivityDependencies,
  ref: CampaignRef,
  labelSelector: string,
  counted: (count: number) => void,
): Promise<number> {
  let count = 0;
  for await (const _target of streamCampaignTargets(deps, ref, labelSelector))
    counted(++count);
  return count;
}

export const heldBy = (ref: CampaignRef) =>
  `${CAMPAIGN_LABELS.hold}=${ref.campaignId}`;
/** A batch's targets, held or already upgraded (which lets go of the hold). */
export const inBatch = (ref: CampaignRef, batch: number) =>
  `${CAMPAIGN_LABELS.campaign}=${ref.campaignId},${CAMPAIGN_LABELS.batch}=${batch}`;

/**
 * Label-only writes of a claim or release in flight at once. Each waits mostly on the API server's
 * round trip, so 8 at a time left it idle (claim and release were most of a campaign's overhead).
 */
export const BULK_WRITE_CONCURRENCY = 64;

/**
 * Runs `work` over items with at most `limit` in flight. Items may be streamed (a paged list): they
 * are taken one at a time as a slot frees, so a stream is never held whole.
 */
export async function forEachLimited<T>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const source =
    Symbol.asyncIterator in items
      ? items[Symbol.asyncIterator]()
      : items[Symbol.iterator]();
  const runners = Array.from({ length: Math.max(1, limit) }, async () => {
    for (;;) {
      const next = await source.next();
      if (next.done) return;
      await work(next.value);
    }
  });
  await Promise.all(runners);
}
