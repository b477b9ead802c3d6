import { ApplicationFailure } from '@temporalio/activity';
import type { CampaignSpec } from '@internal/plugin-sidecars-common';
import { podQueryOf } from '@internal/plugin-sidecars-node';
import type { TemplateImage } from '@internal/sidecar-workflows';
import { listPods } from '../kube/api';
import { findContainer } from '../kube/pod-model';
import { targetClusters, type ActivityDependencies } from './context';

/** How many pods of the spec's selection in `clusters` run each image of its container. */
async function imageCounts(
  deps: ActivityDependencies,
  spec: CampaignSpec,
  clusters: string[] | undefined,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const scoped = { ...spec, selector: { ...spec.selector, clusters } };
  for (const [, kc] of targetClusters(deps, scoped)) {
    for await (const pod of listPods(kc, podQueryOf(spec))) {
      const image = findContainer(pod.spec, spec.container)?.image;
      if (image) counts.set(image, (counts.get(image) ?? 0) + 1);
    }
  }
  return counts;
}

/** The most common image; a tie goes to the greater reference, so that the answer does not depend on list order. */
function mostCommon(counts: Map<string, number>): [string, number] | undefined {
  let best: [string, number] | undefined;
  for (const entry of counts)
    if (
      !best ||
      entry[1] > best[1] ||
      (entry[1] === best[1] && entry[0] > best[0])
    )
      best = entry;
  return best;
}

/** See TemplateActivities.templateImage. */
export async function templateImage(
  deps: ActivityDependencies,
  spec: CampaignSpec,
  clusters: string[],
): Promise<TemplateImage> {
  const found = mostCommon(await imageCounts(deps, spec, clusters));
  if (!found)
    throw ApplicationFailure.nonRetryable(
      `no pod of the template's selection runs a container named "${spec.container}" in cluster(s) ${clusters.join(', ')}: fix targetImageFrom.clusters or the selector`,
      'NoSourceImage',
    );
  const [image, pods] = found;
  const ownClusters = spec.waves
    ? [...new Set(spec.waves.flatMap(wave => wave.clusters))]
    : spec.selector.clusters;
  const own = await imageCounts(deps, spec, ownClusters);
  let selected = 0;
  for (const count of own.values()) selected += count;
  return { image, pods, selected, behind: selected - (own.get(image) ?? 0) };
}
