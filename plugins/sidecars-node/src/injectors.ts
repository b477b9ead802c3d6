import type { V1Pod } from '@kubernetes/client-node';

/** A MutatingAdmissionPolicy reduced to what tells which sidecar it injects: its mutations' CEL expressions. */
export interface InjectionPolicy {
  name: string;
  expressions: string[];
}

/** Istio's injector records what it added to a pod in this annotation. */
const ISTIO_INJECTION_STATUS = 'sidecar.istio.io/status';

/**
 * The injector that adds `container` to `pod`, in words, when it can be told: the admission policies
 * whose mutations name the container (narrowed to those that set the image the pod runs, when any
 * does), or Istio's injector when the pod carries its status annotation. Webhooks do not say what
 * they inject, so another webhook stays unnamed.
 */
export function describeInjector(
  policies: readonly InjectionPolicy[],
  pod: V1Pod,
  container: string,
): string | undefined {
  const mentions = (text: string) => (p: InjectionPolicy) =>
    p.expressions.some(e => e.includes(`"${text}"`));
  const injecting = policies.filter(mentions(container));
  const image = [
    ...(pod.spec?.containers ?? []),
    ...(pod.spec?.initContainers ?? []),
  ].find(c => c.name === container)?.image;
  const exact = image === undefined ? [] : injecting.filter(mentions(image));
  const named = (exact.length > 0 ? exact : injecting).map(
    p => `MutatingAdmissionPolicy "${p.name}"`,
  );
  if (named.length > 0) return named.join(' or ');
  const istio = pod.metadata?.annotations?.[ISTIO_INJECTION_STATUS];
  return istio?.includes(`"${container}"`)
    ? "Istio's sidecar injector (istiod's mutating webhook)"
    : undefined;
}
