import type { CampaignSpec, CampaignWave } from './spec';

/** Longest Kubernetes label value: a lane's id labels the pods it holds. */
const LABEL_VALUE_MAX = 63;

/** A short stable hash (FNV-1a), so ids stay deterministic inside a workflow. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36).padStart(7, '0').slice(-7);
}

/**
 * The workflow id of one lane (one wave in one cluster) of a waved campaign, e.g.
 * `istio-proxy-1-24-2-3f9a2c-w2-prod-eu-1`; it labels the pods the lane holds, so it stays a valid label value.
 */
export function laneWorkflowId(
  campaignId: string,
  waveIndex: number,
  cluster: string,
): string {
  const clusterPart = cluster
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const id = `${campaignId}-w${waveIndex + 1}-${clusterPart}`;
  if (id.length <= LABEL_VALUE_MAX && clusterPart === cluster) return id;
  const hash = shortHash(`${campaignId}/${waveIndex}/${cluster}`);
  const keep = LABEL_VALUE_MAX - hash.length - 1;
  return `${id.slice(0, keep).replace(/[-_.]+$/, '')}-${hash}`;
}

/** The spec of one lane: the campaign's, narrowed to the wave's selection in one cluster, with the wave's strategy settings. */
export function laneSpecOf(
  spec: CampaignSpec,
  wave: CampaignWave,
  cluster: string,
): CampaignSpec {
  const single: CampaignSpec = { ...spec };
  delete single.waves;
  const namespaces = wave.namespaces ?? spec.selector.namespaces;
  const labelSelector = wave.labelSelector ?? spec.selector.labelSelector;
  return {
    ...single,
    name: `${spec.name ?? spec.container}: wave ${wave.name} in ${cluster}`,
    selector: {
      ...spec.selector,
      clusters: [cluster],
      ...(namespaces ? { namespaces } : {}),
      ...(labelSelector !== undefined ? { labelSelector } : {}),
    },
    strategy: {
      ...spec.strategy,
      ...Object.fromEntries(
        Object.entries(wave.strategy ?? {}).filter(([, v]) => v !== undefined),
      ),
    },
  };
}
