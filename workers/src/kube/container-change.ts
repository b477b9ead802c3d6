import type {
  V1Container,
  V1Deployment,
  V1PodSpec,
} from '@kubernetes/client-node';
import {
  CAMPAIGN_ANNOTATIONS,
  ISTIO_PROXY_CONFIG_ANNOTATION,
  moveToNative,
  restoreLegacy,
  type LegacySidecarRecord,
} from '@internal/plugin-sidecars-common';
import type { JsonPatchOperation } from './api';
import { escapePointer, findContainer } from './pod-model';

/** The write that changes the campaign's container, forward (toward the target) or back; or why it must not happen. */
export type ContainerChange = JsonPatchOperation[] | { refuse: string };

export type ChangeDirection = 'forward' | 'back';

/** Modes in-place and workload: the container's image, `from` → `to`, tested first. */
export function imageReplaceOps(
  podSpec: V1PodSpec | undefined,
  podSpecPath: string,
  container: string,
  from: string,
  to: string,
): ContainerChange {
  const found = findContainer(podSpec, container);
  if (!found) return { refuse: `no container named ${container} any more` };
  if (found.image !== from)
    return {
      refuse: `${container} runs ${found.image}, expected ${from}: changed outside the campaign`,
    };
  const imagePath = `${podSpecPath}/${found.list}/${found.index}/image`;
  return [
    { op: 'test', path: imagePath, value: from },
    { op: 'replace', path: imagePath, value: to },
  ];
}

const RECORD_PATH = `/metadata/annotations/${escapePointer(CAMPAIGN_ANNOTATIONS.legacySidecar)}`;

function recordOf(
  deployment: V1Deployment,
): LegacySidecarRecord<V1Container> | undefined {
  const text =
    deployment.metadata?.annotations?.[CAMPAIGN_ANNOTATIONS.legacySidecar];
  if (text === undefined) return undefined;
  try {
    const record: unknown = JSON.parse(text);
    const { index, container } = (record ?? {}) as Partial<
      LegacySidecarRecord<V1Container>
    >;
    return typeof index === 'number' && typeof container?.name === 'string'
      ? (record as LegacySidecarRecord<V1Container>)
      : undefined;
  } catch {
    return undefined;
  }
}

const SPEC = '/spec/template/spec';
const ANNOTATIONS = '/spec/template/metadata/annotations';
const CONFIG_PATH = `${ANNOTATIONS}/${escapePointer(ISTIO_PROXY_CONFIG_ANNOTATION)}`;

/** The write that takes the template's proxy.istio.io/config annotation from `before` to `after`. */
function proxyConfigOps(
  before: Record<string, string> | undefined,
  after: Record<string, string> | undefined,
): JsonPatchOperation[] {
  const value = after?.[ISTIO_PROXY_CONFIG_ANNOTATION];
  if (before?.[ISTIO_PROXY_CONFIG_ANNOTATION] === value) return [];
  if (value === undefined) return [{ op: 'remove', path: CONFIG_PATH }];
  if (before === undefined)
    return [
      {
        op: 'add',
        path: ANNOTATIONS,
        value: { [ISTIO_PROXY_CONFIG_ANNOTATION]: value },
      },
    ];
  return [{ op: 'add', path: CONFIG_PATH, value }];
}

/**
 * Mode to-native. Forward: the regular container `container`, on image `from`, becomes a native
 * sidecar on `to` (moveToNative), and the Deployment records the container as it was. Back: the
 * native sidecar, on `from`, gives way to the recorded container, so the template is the one the
 * campaign found (restoreLegacy). Each write touches only the entries that move, tested by name,
 * so a field of the template this client does not model is never rewritten.
 */
export function nativeMoveOps(
  deployment: V1Deployment,
  container: string,
  from: string,
  to: string,
  direction: ChangeDirection,
): ContainerChange {
  const template = deployment.spec?.template;
  const found = findContainer(template?.spec, container);
  if (!template?.spec || !found)
    return { refuse: `no container named ${container} any more` };
  if (found.image !== from)
    return {
      refuse: `${container} runs ${found.image}, expected ${from}: changed outside the campaign`,
    };
  const annotations = template.metadata?.annotations;
  if (direction === 'forward') {
    const moved = moveToNative(template, container, to);
    if (!moved.ok) return { refuse: moved.reason };
    const sidecar = moved.template.spec!.initContainers!.at(-1);
    return [
      {
        op: 'test',
        path: `${SPEC}/containers/${found.index}/name`,
        value: container,
      },
      { op: 'remove', path: `${SPEC}/containers/${found.index}` },
      template.spec.initContainers
        ? { op: 'add', path: `${SPEC}/initContainers/-`, value: sidecar }
        : { op: 'add', path: `${SPEC}/initContainers`, value: [sidecar] },
      ...proxyConfigOps(annotations, moved.template.metadata?.annotations),
      { op: 'add', path: RECORD_PATH, value: JSON.stringify(moved.record) },
    ];
  }
  const record = recordOf(deployment);
  if (!record || record.container.name !== container)
    return {
      refuse: `the Deployment has no readable ${CAMPAIGN_ANNOTATIONS.legacySidecar} annotation for ${container}, so the template it had is unknown: restore it by hand`,
    };
  if (record.container.image !== to)
    return {
      refuse: `${CAMPAIGN_ANNOTATIONS.legacySidecar} records ${record.container.image}, expected ${to}: changed outside the campaign`,
    };
  const restored = restoreLegacy(template, record);
  if (!restored.ok) return { refuse: restored.reason };
  const at = restored.template.spec!.containers.indexOf(record.container);
  return [
    {
      op: 'test',
      path: `${SPEC}/initContainers/${found.index}/name`,
      value: container,
    },
    restored.template.spec!.initContainers
      ? { op: 'remove', path: `${SPEC}/initContainers/${found.index}` }
      : { op: 'remove', path: `${SPEC}/initContainers` },
    { op: 'add', path: `${SPEC}/containers/${at}`, value: record.container },
    ...proxyConfigOps(annotations, restored.template.metadata?.annotations),
  ];
}
