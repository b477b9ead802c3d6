import type { CampaignRef } from '@internal/sidecar-workflows';
import {
  CAMPAIGN_ANNOTATIONS,
  CAMPAIGN_LABELS,
  type PodState,
} from '@internal/plugin-sidecars-common';
import { isConflict, isNotFound } from '@internal/plugin-sidecars-node';
import type { JsonPatchOperation } from '../kube/api';
import { guardOps, metadataOps } from '../kube/pod-model';
import { targetKindFor, type TargetObject } from '../kube/targets';
import type { ClusterTarget } from './context';

/** Marks the targets of the canary batch, so whoever patches the batch knows it is the canary the plan decided on. */
export const CANARY_ANNOTATION = 'sidecar-campaigns.io/canary';

export const stateOf = (object: TargetObject) =>
  object.metadata?.labels?.[CAMPAIGN_LABELS.state] as PodState | undefined;
export const annotation = (object: TargetObject, key: string) =>
  object.metadata?.annotations?.[key];

export type WriteOutcome =
  | { kind: 'written'; object: TargetObject }
  | { kind: 'gone' }
  | { kind: 'refused'; reason: string };
export type WritePlan = JsonPatchOperation[] | { refuse: string } | 'done';

/**
 * Writes `plan(object)` guarded by the object's uid and resourceVersion; on a conflict it re-reads
 * the object and asks `plan` again, so every write is decided on the current state (safety rule 3).
 */
export async function guardedWrite(
  ref: CampaignRef,
  { kc, object: listed }: ClusterTarget,
  plan: (object: TargetObject) => WritePlan,
): Promise<WriteOutcome> {
  const kind = targetKindFor(ref.spec.mode);
  let object: TargetObject | undefined = listed;
  const namespace = listed.metadata!.namespace!;
  const name = listed.metadata!.name!;
  for (let attempt = 0; attempt < 8; attempt++) {
    if (!object || object.metadata?.uid !== listed.metadata?.uid)
      return { kind: 'gone' };
    const ops = plan(object);
    if (ops === 'done') return { kind: 'written', object };
    if ('refuse' in ops) return { kind: 'refused', reason: ops.refuse };
    try {
      return {
        kind: 'written',
        object: await kind.patch(kc, namespace, name, [
          ...guardOps(object),
          ...ops,
        ]),
      };
    } catch (error) {
      if (isNotFound(error)) return { kind: 'gone' };
      if (!isConflict(error)) throw error;
      object = await kind.read(kc, namespace, name);
    }
  }
  return {
    kind: 'refused',
    reason: `the ${kind.noun} kept changing under every write`,
  };
}

/**
 * Operations that move the campaign's container from `from` to `to` (its image, or in mode
 * to-native its place in the template: the target kind decides) and set the target's state,
 * recording when and from which restart count, for the health check that follows.
 */
export function imageChangeOps(
  object: TargetObject,
  ref: CampaignRef,
  from: string,
  to: string,
  state: PodState,
  now: Date,
  extra: Record<string, string | null> = {},
  extraLabels: Record<string, string | null> = {},
): WritePlan {
  const kind = targetKindFor(ref.spec.mode);
  const change = kind.changeOps(
    object,
    ref.spec.container,
    from,
    to,
    state === 'rolling-back' ? 'back' : 'forward',
  );
  if ('refuse' in change) return change;
  return [
    ...change,
    ...metadataOps(object, 'labels', {
      ...extraLabels,
      [CAMPAIGN_LABELS.state]: state,
    }),
    ...metadataOps(object, 'annotations', {
      [CAMPAIGN_ANNOTATIONS.patchedAt]: now.toISOString(),
      [CAMPAIGN_ANNOTATIONS.restartBaseline]: String(
        kind.restarts(object, ref.spec.container),
      ),
      ...extra,
    }),
  ];
}

export function stateOps(
  object: TargetObject,
  state: PodState | null,
  annotations: Record<string, string | null> = {},
): JsonPatchOperation[] {
  return [
    ...metadataOps(object, 'labels', { [CAMPAIGN_LABELS.state]: state }),
    ...(Object.keys(annotations).length
      ? metadataOps(object, 'annotations', annotations)
      : []),
  ];
}

export function healthDeadlinePassed(
  object: TargetObject,
  ref: CampaignRef,
  now: Date,
): boolean {
  const patchedAt = Date.parse(
    annotation(object, CAMPAIGN_ANNOTATIONS.patchedAt) ?? '',
  );
  return (
    Number.isFinite(patchedAt) &&
    now.getTime() - patchedAt > ref.spec.strategy.healthTimeoutSeconds * 1000
  );
}

export const restartBaseline = (object: TargetObject) =>
  Number(annotation(object, CAMPAIGN_ANNOTATIONS.restartBaseline) ?? 0);
