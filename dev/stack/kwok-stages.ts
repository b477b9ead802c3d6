import { stringify } from 'yaml';

/**
 * KWOK stages that make fake pods behave the way a kubelet would for sidecar upgrades.
 * Node stages follow KWOK's kustomize/stage/node (fast + heartbeat). Pod stages are our own:
 * - a new pod becomes Running and Ready after `podReadyMs`;
 * - an in-place image change (spec image differs from status image) restarts that container:
 *   new image and imageID, restartCount + 1, not ready; after `podReadyMs` it is ready again;
 * - a container whose image tag ends in `-crashloop` never becomes ready and its restartCount
 *   climbs every `crashLoopIntervalMs`.
 */
export interface StageTimings {
  podReadyMs: number;
  containerRestartMs: number;
  crashLoopIntervalMs: number;
}

export const CRASHLOOP_SUFFIX = '-crashloop';

type ContainerList = 'containers' | 'initContainers';
const STATUS_LIST: Record<ContainerList, string> = {
  containers: 'containerStatuses',
  initContainers: 'initContainerStatuses',
};

/** Go-template expressions deciding one container's status; `$c` is its spec, `$old` its previous status. */
interface ContainerRule {
  ready: string;
  restartCount: string;
}

const crashing = `(hasSuffix "${CRASHLOOP_SUFFIX}" $c.image)`;
const imageChanged = '(ne (toString $old.image) $c.image)';
const previousRestarts = '(int $old.restartCount)';
const restartsPlusOneIf = (condition: string) =>
  `(ternary (add1 ${previousRestarts}) ${previousRestarts} ${condition})`;

function statusList(list: ContainerList, rule: ContainerRule): string {
  const statuses = STATUS_LIST[list];
  return `
{{ $oldStatuses := or .status.${statuses} list }}
${statuses}:
{{ range .spec.${list} }}
{{ $c := . }}
{{ $old := dict "restartCount" 0 "ready" false "image" "" }}
{{ range $oldStatuses }}{{ if eq .name $c.name }}{{ $old = . }}{{ end }}{{ end }}
{{ $restarts := ${rule.restartCount} }}
- name: {{ $c.name | Quote }}
  image: {{ $c.image | Quote }}
  imageID: {{ printf "kwok.local/%s@sha256:%s" $c.image (sha256sum $c.image) | Quote }}
  {{ if or (eq "${list}" "containers") (eq (toString $c.restartPolicy) "Always") }}
  started: true
  ready: {{ ${rule.ready} }}
  restartCount: {{ $restarts }}
  state:
    {{ if ${crashing} }}
    waiting:
      reason: CrashLoopBackOff
      message: {{ printf "back-off restarting failed container %s" $c.name | Quote }}
    {{ else }}
    running:
      startedAt: {{ $now | Quote }}
    {{ end }}
  {{ if gt (int $restarts) 0 }}
  lastState:
    terminated:
      exitCode: {{ if ${crashing} }}1{{ else }}0{{ end }}
      reason: {{ if ${crashing} }}Error{{ else }}Completed{{ end }}
      finishedAt: {{ $now | Quote }}
  {{ end }}
  {{ else }}
  ready: true
  restartCount: 0
  state:
    terminated:
      exitCode: 0
      reason: Completed
      startedAt: {{ $now | Quote }}
      finishedAt: {{ $now | Quote }}
  {{ end }}
{{ end }}`;
}

/** Sets Ready/ContainersReady; `$podReady` must be defined by the template. */
const podConditions = `
conditions:
- type: Initialized
  status: "True"
  lastTransitionTime: {{ $now | Quote }}
- type: Ready
  status: {{ if $podReady }}"True"{{ else }}"False"{{ end }}
  lastTransitionTime: {{ $now | Quote }}
- type: ContainersReady
  status: {{ if $podReady }}"True"{{ else }}"False"{{ end }}
  lastTransitionTime: {{ $now | Quote }}`;

const anyCrashing = `{{ $podReady := true }}
{{ range (concat (or .spec.containers list) (or .spec.initContainers list)) }}{{ $c := . }}{{ if ${crashing} }}{{ $podReady = false }}{{ end }}{{ end }}`;

function podStatus(preamble: string, rule: ContainerRule, extra = ''): string {
  return `{{ $now := Now }}
${preamble}
${podConditions}
${statusList('containers', rule)}
${statusList('initContainers', rule)}
${extra}`;
}

const SPEC_STATUS_MISMATCH =
  '[((.spec.containers // [])[] as $c | (.status.containerStatuses // [])[] | select(.name == $c.name and .image != $c.image)),' +
  ' ((.spec.initContainers // [])[] as $c | (.status.initContainerStatuses // [])[] | select(.name == $c.name and .image != $c.image))] | length > 0';
const STATUS_CRASHING = `[(.status.containerStatuses // [])[], (.status.initContainerStatuses // [])[] | select(.image | endswith("${CRASHLOOP_SUFFIX}"))] | length > 0`;
const READY_CONDITION =
  '.status.conditions.[] | select(.type == "Ready") | .status';

const notDeleting = {
  key: '.metadata.deletionTimestamp',
  operator: 'DoesNotExist',
};
const phaseIs = (phase: string) => ({
  key: '.status.phase',
  operator: 'In',
  values: [phase],
});
const is = (key: string, value: boolean) => ({
  key,
  operator: 'In',
  values: [String(value)],
});

function podStage(
  name: string,
  matchExpressions: object[],
  delayMs: number,
  statusTemplate: string,
) {
  return {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'Stage',
    metadata: { name },
    spec: {
      resourceRef: { apiGroup: 'v1', kind: 'Pod' },
      selector: { matchExpressions },
      delay: { durationMilliseconds: delayMs },
      next: { statusTemplate },
    },
  };
}

const nodeConditions = `{{ $now := Now }}
{{ $lastTransitionTime := or .metadata.creationTimestamp $now }}
conditions:
{{ range NodeConditions }}
- lastHeartbeatTime: {{ $now | Quote }}
  lastTransitionTime: {{ $lastTransitionTime | Quote }}
  message: {{ .message | Quote }}
  reason: {{ .reason | Quote }}
  status: {{ .status | Quote }}
  type: {{ .type | Quote }}
{{ end }}`;

/** Node status; the capacity lets the three fake nodes hold a 100,000-pod fleet of 100m/128Mi pods. */
function nodeStages() {
  const ref = { apiGroup: 'v1', kind: 'Node' };
  return [
    {
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'Stage',
      metadata: { name: 'node-initialize' },
      spec: {
        resourceRef: ref,
        selector: {
          matchExpressions: [
            { key: READY_CONDITION, operator: 'NotIn', values: ['True'] },
          ],
        },
        next: {
          statusTemplate: `${nodeConditions}
addresses:
- address: {{ NodeIP | Quote }}
  type: InternalIP
- address: {{ NodeName | Quote }}
  type: Hostname
allocatable:
  cpu: "50000"
  memory: 64Ti
  pods: "50000"
capacity:
  cpu: "50000"
  memory: 64Ti
  pods: "50000"
nodeInfo:
  architecture: amd64
  operatingSystem: linux
  kubeletVersion: {{ printf "kwok-%s" Version | Quote }}
  containerRuntimeVersion: {{ printf "kwok-%s" Version | Quote }}
phase: Running`,
        },
      },
    },
    {
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'Stage',
      metadata: { name: 'node-heartbeat' },
      spec: {
        resourceRef: ref,
        selector: {
          matchExpressions: [
            phaseIs('Running'),
            { key: READY_CONDITION, operator: 'In', values: ['True'] },
          ],
        },
        delay: {
          durationMilliseconds: 20_000,
          jitterDurationMilliseconds: 25_000,
        },
        next: { statusTemplate: nodeConditions },
        immediateNextStage: true,
      },
    },
  ];
}

function podStages(timings: StageTimings) {
  const started = podStatus(
    anyCrashing,
    { ready: `(not ${crashing})`, restartCount: '0' },
    `phase: Running
startTime: {{ $now | Quote }}
hostIP: {{ NodeIPWith .spec.nodeName | Quote }}
podIP: {{ PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) | Quote }}`,
  );
  const restarted = podStatus('{{ $podReady := false }}', {
    ready: `(and (not ${imageChanged}) (not ${crashing}) (eq (toString $old.ready) "true"))`,
    restartCount: restartsPlusOneIf(imageChanged),
  });
  const readyAgain = podStatus('{{ $podReady := true }}', {
    ready: 'true',
    restartCount: previousRestarts,
  });
  const crashLooping = podStatus('{{ $podReady := false }}', {
    ready: `(not ${crashing})`,
    restartCount: restartsPlusOneIf(crashing),
  });
  return [
    podStage(
      'pod-ready',
      [
        notDeleting,
        phaseIs('Pending'),
        { key: '.spec.nodeName', operator: 'Exists' },
      ],
      timings.podReadyMs,
      started,
    ),
    podStage(
      'pod-container-image-changed',
      [notDeleting, phaseIs('Running'), is(SPEC_STATUS_MISMATCH, true)],
      timings.containerRestartMs,
      restarted,
    ),
    podStage(
      'pod-container-ready-again',
      [
        notDeleting,
        phaseIs('Running'),
        is(SPEC_STATUS_MISMATCH, false),
        is(STATUS_CRASHING, false),
        { key: READY_CONDITION, operator: 'NotIn', values: ['True'] },
      ],
      timings.podReadyMs,
      readyAgain,
    ),
    podStage(
      'pod-container-crashloop',
      [
        notDeleting,
        phaseIs('Running'),
        is(SPEC_STATUS_MISMATCH, false),
        is(STATUS_CRASHING, true),
      ],
      timings.crashLoopIntervalMs,
      crashLooping,
    ),
    {
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'Stage',
      metadata: { name: 'pod-delete' },
      spec: {
        resourceRef: { apiGroup: 'v1', kind: 'Pod' },
        selector: {
          matchExpressions: [
            { key: '.metadata.deletionTimestamp', operator: 'Exists' },
          ],
        },
        next: { delete: true },
      },
    },
  ];
}

/**
 * KWOK's own options with pod stages played `podStageParallelism` at a time instead of its default
 * of 4. A configuration from a file is not defaulted, so every option is given.
 */
function kwokConfiguration(podStageParallelism: number) {
  return {
    apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
    kind: 'KwokConfiguration',
    options: {
      cidr: '10.0.0.0/24',
      podPlayStageParallelism: podStageParallelism,
      nodePlayStageParallelism: 4,
      nodeLeaseParallelism: 4,
      podsOnNodeSyncParallelism: 1,
      enablePodsOnNodeSyncListPager: true,
      enablePodsOnNodeSyncStreamWatch: false,
    },
  };
}

/** The file KWOK reads with --config: its options when `podStageParallelism` is given, then every stage. */
export function renderStages(
  timings: StageTimings,
  podStageParallelism?: number,
): string {
  return [
    ...(podStageParallelism ? [kwokConfiguration(podStageParallelism)] : []),
    ...nodeStages(),
    ...podStages(timings),
  ]
    .map(stage => stringify(stage, { lineWidth: 0 }))
    .join('---\n');
}
