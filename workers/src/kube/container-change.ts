import type {
  V1Container,
  V1Deployment,
  V1PodSpec,
} from '@kubernetes/client-node';
import {
  CAMPAIGN_ANNOTATIONS,
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

/**
 * Mode to-native. Forward: the regular container `container`, on image `from`, becomes a native
 * sidecar on `to` (moveToNative), and the Deployment records the container as it was. Back: the
 * native sidecar, on `from`, gives way to the recorded container, so the template is the one the
 * campaign found. The whole template is replaced, under the write's resourceVersion test.
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
  if (!template || !found)
    return { refuse: `no container named ${container} any more` };
  if (found.image !== from)
    return {
      refuse: `${container} runs ${found.image}, expected ${from}: changed outside the campaign`,
    };
  if (direction === 'forward') {
    const moved = moveToNative(template, container, to);
    if (!moved.ok) return { refuse: moved.reason };
    return [
      { op: 'replace', path: '/spec/template', value: moved.template },
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
  return [{ op: 'replace', path: '/spec/template', value: restored.template }];
}
