import type { V1Pod } from '@kubernetes/client-node';
import { CAMPAIGN_ANNOTATIONS, CAMPAIGN_LABELS, type PodState } from '@internal/plugin-sidecars-common';
import type { CampaignRef } from '@internal/sidecar-workflows';
import { isConflict, isNotFound, patchPod, readPod, type JsonPatchOperation } from '../kube/api';
import { containerStatus, findContainer, guardOps, imagePath, metadataOps } from '../kube/pod-model';
import type { ClusterPod } from './context';

export const stateOf = (pod: V1Pod) => pod.metadata?.labels?.[CAMPAIGN_LABELS.state] as PodState | undefined;
export const annotation = (pod: V1Pod, key: string) => pod.metadata?.annotations?.[key];

export type WriteOutcome = { kind: 'written'; pod: V1Pod } | { kind: 'gone' } | { kind: 'refused'; reason: string };

/**
 * Writes `plan(pod)` guarded by the pod's uid and resourceVersion; on a conflict it re-reads the
 * pod and asks `plan` again, so every write is decided on the current state (safety rule 3).
 */
export async function guardedWrite(
  { kc, pod: listed }: ClusterPod,
  plan: (pod: V1Pod) => JsonPatchOperation[] | { refuse: string } | 'done',
): Promise<WriteOutcome> {
  let pod: V1Pod | undefined = listed;
  const namespace = listed.metadata!.namespace!;
  const name = listed.metadata!.name!;
  for (let attempt = 0; attempt < 8; attempt++) {
    if (!pod || pod.metadata?.uid !== listed.metadata?.uid) return { kind: 'gone' };
    const ops = plan(pod);
    if (ops === 'done') return { kind: 'written', pod };
    if ('refuse' in ops) return { kind: 'refused', reason: ops.refuse };
    try {
      return { kind: 'written', pod: await patchPod(kc, namespace, name, [...guardOps(pod), ...ops]) };
    } catch (error) {
      if (isNotFound(error)) return { kind: 'gone' };
      if (!isConflict(error)) throw error;
      pod = await readPod(kc, namespace, name);
    }
  }
  return { kind: 'refused', reason: 'the pod kept changing under every write' };
}

/**
 * Operations that move the campaign's container from `from` to `to` and set the pod's state,
 * recording when and from which restart count, for the health check that follows.
 */
export function imageChangeOps(pod: V1Pod, ref: CampaignRef, from: string, to: string, state: PodState, now: Date, extra: Record<string, string | null> = {}): JsonPatchOperation[] | { refuse: string } {
  const container = findContainer(pod.spec, ref.spec.container);
  if (!container) return { refuse: `pod no longer has a container named ${ref.spec.container}` };
  if (container.image !== from) return { refuse: `${ref.spec.container} runs ${container.image}, expected ${from}: changed outside the campaign` };
  return [
    { op: 'test', path: imagePath(container), value: from },
    { op: 'replace', path: imagePath(container), value: to },
    ...metadataOps(pod, 'labels', { [CAMPAIGN_LABELS.state]: state }),
    ...metadataOps(pod, 'annotations', {
      [CAMPAIGN_ANNOTATIONS.patchedAt]: now.toISOString(),
      [CAMPAIGN_ANNOTATIONS.restartBaseline]: String(containerStatus(pod, ref.spec.container)?.restartCount ?? 0),
      ...extra,
    }),
  ];
}

export function stateOps(pod: V1Pod, state: PodState | null, annotations: Record<string, string | null> = {}): JsonPatchOperation[] {
  return [...metadataOps(pod, 'labels', { [CAMPAIGN_LABELS.state]: state }), ...(Object.keys(annotations).length ? metadataOps(pod, 'annotations', annotations) : [])];
}

export function healthDeadlinePassed(pod: V1Pod, ref: CampaignRef, now: Date): boolean {
  const patchedAt = Date.parse(annotation(pod, CAMPAIGN_ANNOTATIONS.patchedAt) ?? '');
  return Number.isFinite(patchedAt) && now.getTime() - patchedAt > ref.spec.strategy.healthTimeoutSeconds * 1000;
}

export const restartBaseline = (pod: V1Pod) => Number(annotation(pod, CAMPAIGN_ANNOTATIONS.restartBaseline) ?? 0);
