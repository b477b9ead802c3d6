import { Context } from '@temporalio/activity';
import { CAMPAIGN_ANNOTATIONS } from '@internal/plugin-sidecars-common';
import type { CampaignRef, PodFailure, SkippedTarget } from '@internal/sidecar-workflows';
import { assessHealth, isPodReady, podKey } from '../kube/pod-model';
import type { ClusterPod } from './context';
import { annotation, guardedWrite, healthDeadlinePassed, imageChangeOps, restartBaseline, stateOf, stateOps } from './pod-transitions';

const POLL_MS = 500;

export interface Settled {
  /** Pods whose state reached a final value for this step, by state. */
  byState: Map<string, ClusterPod[]>;
  failed: PodFailure[];
  skipped: SkippedTarget[];
  unavailableLeft: number;
}

/**
 * Re-lists the pods each poll and moves each one along until none is in flight:
 * upgrading → upgraded, or (unhealthy) → rolling-back to its previous image → failed;
 * rolling-back → rolled-back (or failed, when it was a restore after a failure).
 */
export async function settle(ref: CampaignRef, list: () => Promise<ClusterPod[]>): Promise<Settled> {
  const initial = await list();
  const seen = new Set(initial.map(t => podKey(t.cluster, t.pod)));
  let current = initial;
  for (;;) {
    let inFlight = 0;
    for (const target of current) if ((await advance(ref, target)) === 'in-flight') inFlight += 1;
    Context.current().heartbeat({ inFlight, pods: current.length });
    current = await list();
    if (inFlight === 0) break;
    await Context.current().sleep(POLL_MS);
  }
  const present = new Set(current.map(t => podKey(t.cluster, t.pod)));
  const byState = new Map<string, ClusterPod[]>();
  for (const target of current) byState.set(stateOf(target.pod) ?? '', [...(byState.get(stateOf(target.pod) ?? '') ?? []), target]);
  const failedPods = byState.get('failed') ?? [];
  return {
    byState,
    failed: failedPods.map(t => ({ target: podKey(t.cluster, t.pod), reason: annotation(t.pod, CAMPAIGN_ANNOTATIONS.failureReason) ?? 'unknown' })),
    skipped: [...seen].filter(key => !present.has(key)).map(target => ({ target, reason: 'pod deleted or replaced while the campaign changed it' })),
    unavailableLeft: failedPods.filter(t => !isPodReady(t.pod)).length,
  };
}

async function advance(ref: CampaignRef, target: ClusterPod): Promise<'in-flight' | 'settled'> {
  const { pod } = target;
  const { container, targetImage } = ref.spec;
  const previousImage = annotation(pod, CAMPAIGN_ANNOTATIONS.previousImage) ?? '';
  const now = new Date();
  const state = stateOf(pod);
  if (state === 'upgrading') {
    const health = assessHealth(pod, container, targetImage, restartBaseline(pod), healthDeadlinePassed(pod, ref, now));
    if (health.kind === 'healthy') await guardedWrite(target, p => (stateOf(p) === 'upgrading' ? stateOps(p, 'upgraded') : 'done'));
    if (health.kind === 'failed') {
      await guardedWrite(target, p =>
        stateOf(p) === 'upgrading'
          ? imageChangeOps(p, ref, targetImage, previousImage, 'rolling-back', now, { [CAMPAIGN_ANNOTATIONS.failureReason]: health.reason })
          : 'done',
      );
    }
    return health.kind === 'healthy' ? 'settled' : 'in-flight';
  }
  if (state === 'rolling-back') {
    const failureReason = annotation(pod, CAMPAIGN_ANNOTATIONS.failureReason);
    const health = assessHealth(pod, container, previousImage, restartBaseline(pod), healthDeadlinePassed(pod, ref, now));
    if (health.kind === 'pending') return 'in-flight';
    const finalState = failureReason || health.kind === 'failed' ? 'failed' : 'rolled-back';
    const reason = health.kind === 'failed' ? `${failureReason ? `${failureReason}; ` : ''}restoring ${previousImage} failed too: ${health.reason}` : failureReason;
    await guardedWrite(target, p =>
      stateOf(p) === 'rolling-back' ? stateOps(p, finalState, reason ? { [CAMPAIGN_ANNOTATIONS.failureReason]: reason } : {}) : 'done',
    );
  }
  return 'settled';
}
