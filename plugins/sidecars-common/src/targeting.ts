// Which pods a campaign may take: the pure decision shared by the worker's claim activity and the
// backend's dry-run plan, so a plan shows exactly what a started campaign would do.
import { CAMPAIGN_LABELS } from './workflowContract';
import type { CampaignSpec } from './spec';

/** The parts of a Kubernetes container the decision reads. */
export interface TargetContainer {
  name: string;
  image?: string;
  restartPolicy?: string;
}

/** The parts of a Kubernetes pod the decision reads; a V1Pod fits. */
export interface TargetPod {
  metadata?: { deletionTimestamp?: unknown; labels?: Record<string, string> };
  spec?: { containers: TargetContainer[]; initContainers?: TargetContainer[] };
}

/** The workload whose pod template made the pod, e.g. "Deployment payments/ledger", and the container names it declares. */
export interface OwnerTemplate {
  owner: string;
  containers: readonly string[];
}

export type SkipCode =
  | 'deleting'
  | 'no-container'
  | 'run-to-completion'
  | 'held'
  | 'on-target'
  | 'declared-in-template';

export interface SkipDecision {
  code: SkipCode;
  /** What keeps the pod out and, where one exists, the fix. */
  reason: string;
}

export interface TargetingQuestion {
  pod: TargetPod;
  spec: Pick<CampaignSpec, 'container' | 'targetImage' | 'mode'>;
  /** The campaign asking; undefined for a dry run, which no pod can be held by yet. */
  campaignId?: string;
  /** Whether the campaign holding the pod (its hold label) is still running; irrelevant when nobody else holds it. */
  holderActive: boolean;
  /** The owning workload's template; needed only in mode "in-place". */
  ownerTemplate?: OwnerTemplate;
}

/** States in which a pod was changed by the campaign in its campaign label. */
const CHANGED_STATES: ReadonlySet<string> = new Set([
  'upgrading',
  'upgraded',
  'rolling-back',
  'rolled-back',
  'failed',
]);

/**
 * The campaign holding the pod, if any: the one in its hold label, or the campaign that changed it
 * (an upgrade lets go of the hold label in the same write, and a rollback may follow). Either holds
 * the pod only while that campaign runs.
 */
export function holderOf(pod: Pick<TargetPod, 'metadata'>): string | undefined {
  const labels = pod.metadata?.labels ?? {};
  if (labels[CAMPAIGN_LABELS.hold]) return labels[CAMPAIGN_LABELS.hold];
  return CHANGED_STATES.has(labels[CAMPAIGN_LABELS.state] ?? '')
    ? labels[CAMPAIGN_LABELS.campaign] || undefined
    : undefined;
}

/** The holder a caller must ask about (is it still active?), if another campaign holds the pod. */
export function otherHolder(
  pod: TargetPod,
  campaignId: string | undefined,
): string | undefined {
  const holder = holderOf(pod);
  return holder !== undefined && holder !== campaignId ? holder : undefined;
}

export interface LocatedContainer {
  container: TargetContainer;
  list: 'containers' | 'initContainers';
  /** An init container with restartPolicy Always: a native sidecar. */
  native: boolean;
}

export function locateContainer(
  pod: TargetPod,
  name: string,
): LocatedContainer | undefined {
  const regular = pod.spec?.containers.find(c => c.name === name);
  if (regular) return { container: regular, list: 'containers', native: false };
  const init = pod.spec?.initContainers?.find(c => c.name === name);
  if (init)
    return {
      container: init,
      list: 'initContainers',
      native: init.restartPolicy === 'Always',
    };
  return undefined;
}

/** Why the campaign must leave this pod alone, or undefined when it may take it. */
export function skipDecision(
  question: TargetingQuestion,
): SkipDecision | undefined {
  const { pod, spec, campaignId } = question;
  if (pod.metadata?.deletionTimestamp)
    return { code: 'deleting', reason: 'pod is being deleted' };
  const located = locateContainer(pod, spec.container);
  if (!located)
    return {
      code: 'no-container',
      reason: `pod has no container named ${spec.container}`,
    };
  if (located.list === 'initContainers' && !located.native) {
    return {
      code: 'run-to-completion',
      reason: `${spec.container} is an init container that runs to completion, not a sidecar`,
    };
  }
  const other = otherHolder(pod, campaignId);
  if (other !== undefined && question.holderActive)
    return { code: 'held', reason: `held by campaign ${other}` };
  const heldBySelf = campaignId !== undefined && holderOf(pod) === campaignId;
  if (located.container.image === spec.targetImage && !heldBySelf) {
    return { code: 'on-target', reason: `already runs ${spec.targetImage}` };
  }
  if (
    spec.mode === 'in-place' &&
    question.ownerTemplate?.containers.includes(spec.container)
  ) {
    return {
      code: 'declared-in-template',
      reason: `${spec.container} is declared in ${question.ownerTemplate.owner}'s pod template, so an in-place patch would be undone by its next rollout: use mode "workload"`,
    };
  }
  return undefined;
}
