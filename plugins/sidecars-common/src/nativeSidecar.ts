// The to-native campaign mode's template change: a sidecar declared as a regular container moves
// into initContainers with restartPolicy Always, and back. Pure, so the worker's write and its tests
// share one definition of "the same sidecar, native".
import {
  classifyStartOrdering,
  ISTIO_PROXY_CONFIG_ANNOTATION,
  type StartOrdering,
} from './startOrdering';

/** The parts of a container the move reads; a V1Container fits, and every other field is kept as it is. */
export interface MovableContainer {
  name: string;
  image?: string;
  restartPolicy?: string;
  lifecycle?: { postStart?: object; preStop?: object };
}

/** The parts of a pod template the move reads and writes; a V1PodTemplateSpec fits. */
export interface MovableTemplate<C extends MovableContainer> {
  metadata?: {
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec?: { containers: C[]; initContainers?: C[] };
}

export type DroppedStartHook = NonNullable<StartOrdering['hook']>;

/** What restoring the legacy sidecar needs, exactly as it was before the move. */
export interface LegacySidecarRecord<C extends MovableContainer> {
  /** Its position among the regular containers. */
  index: number;
  container: C;
  /** The template had no initContainers list. */
  noInitContainers?: true;
  /** The proxy.istio.io/config annotation before its hold was dropped, when it was. */
  proxyConfig?: string;
}

export type NativeMove<C extends MovableContainer, T> =
  | {
      ok: true;
      template: T;
      record: LegacySidecarRecord<C>;
      /** Start hooks left out because a native sidecar orders the start itself. */
      dropped: DroppedStartHook[];
    }
  | { ok: false; reason: string };

export type LegacyRestore<T> =
  { ok: true; template: T } | { ok: false; reason: string };

const HOLD_LINE =
  /^\s*holdApplicationUntilProxyStarts\s*:\s*["']?true["']?\s*(#.*)?$/;

/**
 * The proxy config without its holdApplicationUntilProxyStarts entry, as JSON or as YAML lines;
 * undefined when nothing else is left. A form it cannot edit (e.g. a YAML flow mapping) is kept as
 * it is: Istio ignores the hold for a native sidecar anyway.
 */
function withoutHold(config: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(config);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const rest = Object.fromEntries(
        Object.entries(parsed).filter(
          ([key]) => key !== 'holdApplicationUntilProxyStarts',
        ),
      );
      return Object.keys(rest).length > 0 ? JSON.stringify(rest) : undefined;
    }
  } catch {
    // Not JSON: Istio reads YAML too.
  }
  const lines = config.split('\n').filter(line => !HOLD_LINE.test(line));
  return lines.some(line => line.trim() !== '' && !line.trim().startsWith('#'))
    ? lines.join('\n')
    : undefined;
}

/** Why `name` cannot move to a native sidecar in this template, or undefined when it can. */
export function nativeMoveProblem(
  template: MovableTemplate<MovableContainer>,
  name: string,
):
  | { code: 'already-native' | 'run-to-completion' | 'absent'; reason: string }
  | undefined {
  const init = template.spec?.initContainers?.find(c => c.name === name);
  if (init?.restartPolicy === 'Always')
    return {
      code: 'already-native',
      reason: `${name} is already a native sidecar (an init container with restartPolicy: Always): nothing to move; to change its image use mode "workload"`,
    };
  if (init)
    return {
      code: 'run-to-completion',
      reason: `${name} is an init container that runs to completion, not a sidecar: to-native moves only regular containers`,
    };
  if (!template.spec?.containers.some(c => c.name === name))
    return { code: 'absent', reason: `no container named ${name}` };
  return undefined;
}

/**
 * Moves the regular container `name` to the end of initContainers with restartPolicy Always, with
 * `image`, so that it starts after the run-to-completion init containers (which ran without it
 * before) and before every app container. Every other field (ports, probes, resources, env, mounts,
 * securityContext) is kept; a postStart hook that held the app back, and Istio's
 * holdApplicationUntilProxyStarts, are left out: the kubelet now orders the start itself.
 */
export function moveToNative<
  C extends MovableContainer,
  T extends MovableTemplate<C>,
>(template: T, name: string, image: string): NativeMove<C, T> {
  const problem = nativeMoveProblem(template, name);
  if (problem) return { ok: false, reason: problem.reason };
  const spec = template.spec!;
  const index = spec.containers.findIndex(c => c.name === name);
  const legacy = spec.containers[index]!;
  const annotations = template.metadata?.annotations;
  const dropped: DroppedStartHook[] = [];
  const { lifecycle, ...kept } = legacy;
  let hooks = lifecycle;
  if (
    classifyStartOrdering({ annotations, ...spec }, name)?.hook === 'postStart'
  ) {
    const { postStart: _, ...others } = lifecycle ?? {};
    hooks = Object.keys(others).length > 0 ? others : undefined;
    dropped.push('postStart');
  }
  const sidecar = {
    ...kept,
    ...(hooks ? { lifecycle: hooks } : {}),
    image,
    restartPolicy: 'Always',
  } as C;
  // Istio's hold counts only once no postStart hook orders the start: ask with the hook left out.
  const unhooked = spec.containers.map((c, i) =>
    i === index ? { name, restartPolicy: c.restartPolicy } : c,
  );
  const config = annotations?.[ISTIO_PROXY_CONFIG_ANNOTATION];
  let metadata = template.metadata;
  let proxyConfig: string | undefined;
  if (
    config !== undefined &&
    classifyStartOrdering({ annotations, containers: unhooked }, name)?.hook ===
      'holdApplicationUntilProxyStarts'
  ) {
    const rest = withoutHold(config);
    if (rest !== config) {
      const { [ISTIO_PROXY_CONFIG_ANNOTATION]: _, ...others } = annotations!;
      metadata = {
        ...template.metadata,
        annotations:
          rest === undefined
            ? others
            : { ...others, [ISTIO_PROXY_CONFIG_ANNOTATION]: rest },
      };
      proxyConfig = config;
      dropped.push('holdApplicationUntilProxyStarts');
    }
  }
  const containers = spec.containers.filter((_, i) => i !== index);
  return {
    ok: true,
    template: {
      ...template,
      ...(metadata ? { metadata } : {}),
      spec: {
        ...spec,
        containers,
        initContainers: [...(spec.initContainers ?? []), sidecar],
      },
    },
    record: {
      index,
      container: legacy,
      ...(spec.initContainers ? {} : { noInitContainers: true }),
      ...(proxyConfig !== undefined ? { proxyConfig } : {}),
    },
    dropped,
  };
}

/** Undoes moveToNative: the native sidecar leaves initContainers and the recorded container and annotation come back. */
export function restoreLegacy<
  C extends MovableContainer,
  T extends MovableTemplate<C>,
>(template: T, record: LegacySidecarRecord<C>): LegacyRestore<T> {
  const name = record.container.name;
  const spec = template.spec;
  const init = spec?.initContainers ?? [];
  const native = init.findIndex(
    c => c.name === name && c.restartPolicy === 'Always',
  );
  if (!spec || native < 0)
    return {
      ok: false,
      reason: `${name} is no native sidecar in the template any more: changed outside the campaign`,
    };
  if (spec.containers.some(c => c.name === name))
    return {
      ok: false,
      reason: `${name} is a regular container too: changed outside the campaign`,
    };
  const containers = [...spec.containers];
  containers.splice(
    Math.min(record.index, containers.length),
    0,
    record.container,
  );
  const initContainers = init.filter((_, i) => i !== native);
  const { initContainers: _, ...rest } = spec;
  const annotations = template.metadata?.annotations;
  return {
    ok: true,
    template: {
      ...template,
      ...(record.proxyConfig !== undefined
        ? {
            metadata: {
              ...template.metadata,
              annotations: {
                ...annotations,
                [ISTIO_PROXY_CONFIG_ANNOTATION]: record.proxyConfig,
              },
            },
          }
        : {}),
      spec: {
        ...rest,
        containers,
        ...(record.noInitContainers && initContainers.length === 0
          ? {}
          : { initContainers }),
      },
    },
  };
}
