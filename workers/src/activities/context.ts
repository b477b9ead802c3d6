import { ApplicationFailure } from '@temporalio/activity';
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { CAMPAIGN_LABELS, type CampaignSpec } from '@internal/plugin-sidecars-common';
import type { CampaignRef } from '@internal/sidecar-workflows';
import { listPods } from '../kube/api';
import type { ClusterRegistry } from '../kube/clusters';

export interface ActivityDependencies {
  clusters: ClusterRegistry;
  /** Whether the campaign with this id is still running (its holds are live). */
  isCampaignActive(campaignId: string): Promise<boolean>;
}

export interface ClusterPod {
  cluster: string;
  kc: KubeConfig;
  pod: V1Pod;
}

/** The clusters a spec targets; an unknown name fails the campaign instead of being ignored. */
export function targetClusters(deps: ActivityDependencies, spec: CampaignSpec): Array<[string, KubeConfig]> {
  const names = spec.selector.clusters?.length ? spec.selector.clusters : [...deps.clusters.keys()];
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

/** Pods of the campaign's clusters matching a server-side label selector. */
export async function* podsMatching(deps: ActivityDependencies, spec: CampaignSpec, labelSelector: string, namespaces?: readonly string[]): AsyncGenerator<ClusterPod> {
  for (const [cluster, kc] of targetClusters(deps, spec)) {
    for await (const pod of listPods(kc, { labelSelector, namespaces })) yield { cluster, kc, pod };
  }
}

export const heldBy = (ref: CampaignRef) => `${CAMPAIGN_LABELS.hold}=${ref.campaignId}`;
export const inBatch = (ref: CampaignRef, batch: number) => `${heldBy(ref)},${CAMPAIGN_LABELS.batch}=${batch}`;

/** Runs `work` over items with at most `limit` in flight. */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(runners);
}
