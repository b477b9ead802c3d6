/**
 * Whether a sidecar is up before the application containers of its pod start: the start-ordering
 * problem that native sidecars (KEP-753) solve and that legacy sidecars solve only with a hook.
 */

/** The annotation Istio reads per-pod proxy settings from (YAML or JSON). */
export const ISTIO_PROXY_CONFIG_ANNOTATION = 'proxy.istio.io/config';

const HOLD_APPLICATION =
  /(^|[\s{,"'])holdApplicationUntilProxyStarts["']?\s*:\s*["']?true\b/m;

export type StartOrderingKind =
  /** An init container with restartPolicy Always: started, and Ready if it has a probe, before the app; stopped after it. */
  | 'native'
  /** A regular container whose start the app waits for: a postStart hook ahead of the app, or Istio's holdApplicationUntilProxyStarts. */
  | 'start-hook'
  /** A regular container with nothing making the app wait for it. */
  | 'unordered';

export const START_ORDERING_KINDS: readonly StartOrderingKind[] = [
  'native',
  'start-hook',
  'unordered',
];

export interface StartOrdering {
  kind: StartOrderingKind;
  /** What holds the app back, for `start-hook`. */
  hook?: 'postStart' | 'holdApplicationUntilProxyStarts';
}

/** The parts of a container the classification reads (a V1Container fits). */
export interface OrderingContainer {
  name: string;
  restartPolicy?: string;
  lifecycle?: { postStart?: object };
}

/** The parts of a pod the classification reads. */
export interface OrderingPod {
  annotations?: Record<string, string>;
  initContainers?: readonly OrderingContainer[];
  containers: readonly OrderingContainer[];
}

/** Whether the pod asks Istio to hold its app until istio-proxy is ready. */
export function holdsApplicationUntilProxyStarts(
  annotations: Record<string, string> | undefined,
): boolean {
  const config = annotations?.[ISTIO_PROXY_CONFIG_ANNOTATION];
  return config !== undefined && HOLD_APPLICATION.test(config);
}

/**
 * How the pod orders `container`'s start against its app; undefined when the pod has no such
 * long-running container. The kubelet starts regular containers one by one in the order of the
 * list and waits for each one's postStart hook to finish before the next, so a hook holds back only
 * the containers after it.
 */
export function classifyStartOrdering(
  pod: OrderingPod,
  container: string,
): StartOrdering | undefined {
  const init = pod.initContainers?.find(c => c.name === container);
  if (init)
    return init.restartPolicy === 'Always' ? { kind: 'native' } : undefined;
  const index = pod.containers.findIndex(c => c.name === container);
  if (index < 0) return undefined;
  if (
    pod.containers[index]!.lifecycle?.postStart &&
    index < pod.containers.length - 1
  )
    return { kind: 'start-hook', hook: 'postStart' };
  if (
    container === 'istio-proxy' &&
    holdsApplicationUntilProxyStarts(pod.annotations)
  )
    return { kind: 'start-hook', hook: 'holdApplicationUntilProxyStarts' };
  return { kind: 'unordered' };
}

export interface StartOrderingAdvice {
  /** `ok`: nothing to do; `partial`: start is ordered, shutdown is not; `at-risk`: neither. */
  risk: 'ok' | 'partial' | 'at-risk';
  /** What happens to the app, in a service owner's words. */
  summary: string;
  /** What to change, when something should change. */
  fix?: string;
}

const NATIVE_FIX =
  'move it to a native sidecar (an init container with restartPolicy: Always, Kubernetes ≥1.29; a campaign in mode "to-native" does that for a Deployment)';

/** Who can apply the unordered sidecar's fix: an injected one changes in its injector, not in the workload. */
function unorderedFix(container: string, injected: boolean): string {
  const hold = `set holdApplicationUntilProxyStarts: true in the ${ISTIO_PROXY_CONFIG_ANNOTATION} annotation`;
  if (container === 'istio-proxy')
    return injected
      ? `Fix: ${hold} of your pod template, or have the mesh inject it as a native sidecar (Kubernetes ≥1.29).`
      : `Fix: ${NATIVE_FIX}, or ${hold}.`;
  return injected
    ? `Fix: ${container} is added by an injector, so ask the team that runs it to inject it as a native sidecar (Kubernetes ≥1.29).`
    : `Fix: ${NATIVE_FIX}, or list it before your app with a postStart hook that waits until it is ready.`;
}

/**
 * The risk of a sidecar's start ordering and its fix, in words a service owner understands;
 * `injected` when an admission injector adds the sidecar, whose fix is in the injector.
 */
export function adviseStartOrdering(
  container: string,
  ordering: StartOrdering,
  injected = false,
): StartOrderingAdvice {
  if (ordering.kind === 'native')
    return {
      risk: 'ok',
      summary: `${container} is a native sidecar: it starts before your app and stops after it.`,
    };
  if (ordering.kind === 'start-hook')
    return {
      risk: 'partial',
      summary:
        ordering.hook === 'holdApplicationUntilProxyStarts'
          ? `holdApplicationUntilProxyStarts makes your app wait until ${container} is ready, but ${container} may still stop before your app has drained its requests.`
          : `A postStart hook on ${container} makes your app wait until it has started, but ${container} may still stop before your app has drained its requests.`,
      fix: `To order shutdown too, ${NATIVE_FIX}.`,
    };
  return {
    risk: 'at-risk',
    summary: `Your app may start before ${container} is ready and fail its first requests, and may lose ${container} before it has finished shutting down.`,
    fix: unorderedFix(container, injected),
  };
}
