// Which Deployments a to-native campaign may take: the pure decision shared by the worker's claim
// and the backend's plan preview, like the in-place and workload rules of targeting.ts.
import {
  nativeMoveProblem,
  type MovableContainer,
  type MovableTemplate,
} from './nativeSidecar';
import { otherHolder, type TargetPod } from './targeting';

export type ToNativeSkipCode =
  | 'deleting'
  | 'held'
  | 'no-container'
  | 'injected'
  | 'already-native'
  | 'run-to-completion';

export interface ToNativeSkipDecision {
  code: ToNativeSkipCode;
  /** What keeps the Deployment out and the fix. */
  reason: string;
  /** For code "injected": the injector that adds the sidecar, when known. */
  injector?: string;
}

export interface ToNativeQuestion {
  /** The Deployment as `cluster/namespace/name`, for messages. */
  key: string;
  deployment: {
    metadata?: TargetPod['metadata'];
    spec?: { template: MovableTemplate<MovableContainer> };
  };
  container: string;
  campaignId?: string;
  /** Whether the campaign holding it is still running; irrelevant when nobody else holds it. */
  holderActive: boolean;
  /** Whether its pods run the container although the template does not declare it: an injector adds it. */
  injectedInPods: boolean;
  /** The injector that adds it, e.g. `MutatingAdmissionPolicy "inject-fluent-bit"`, when known. */
  injector?: string;
}

const NATIVE = 'an init container with restartPolicy: Always, Kubernetes ≥1.29';

/** Why a to-native campaign must leave this Deployment alone, or undefined when it may move the sidecar. */
export function toNativeSkipDecision(
  question: ToNativeQuestion,
): ToNativeSkipDecision | undefined {
  const { key, deployment, container } = question;
  if (deployment.metadata?.deletionTimestamp)
    return { code: 'deleting', reason: `Deployment ${key} is being deleted` };
  const problem = nativeMoveProblem(deployment.spec?.template ?? {}, container);
  if (problem?.code === 'absent') {
    if (!question.injectedInPods)
      return {
        code: 'no-container',
        reason: `neither Deployment ${key}'s pod template nor its pods have a container named ${container}`,
      };
    const by =
      question.injector ??
      'an admission injector (a mutating webhook or admission policy)';
    return {
      code: 'injected',
      ...(question.injector ? { injector: question.injector } : {}),
      reason: `${container} is not in Deployment ${key}'s pod template: ${by} adds it to the pods, so the campaign cannot move it; change that injector's configuration to inject ${container} as a native sidecar (${NATIVE})`,
    };
  }
  if (problem)
    return {
      code: problem.code,
      reason: `in Deployment ${key}: ${problem.reason}`,
    };
  const other = otherHolder(
    { metadata: deployment.metadata },
    question.campaignId,
  );
  if (other !== undefined && question.holderActive)
    return { code: 'held', reason: `held by campaign ${other}` };
  return undefined;
}
