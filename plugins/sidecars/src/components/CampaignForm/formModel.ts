import type {
  CampaignSpec,
  CampaignSpecInput,
  FieldError,
} from '@internal/plugin-sidecars-common';
import {
  analysisInputPaths,
  toAnalysisSpec,
  type AnalysisMetricValues,
} from './analysisFormModel';
import {
  countOrPercent,
  listOrUndefined,
  optionalCountOrPercent,
  optionalNumber,
  textOrUndefined,
} from './typedValues';
import {
  toWavesSpec,
  wavesInputPaths,
  type WaveValues,
} from './wavesFormModel';

export type CampaignMode = CampaignSpec['mode'];

/** Each mode in the form's words: what it changes and when to pick it. */
export const MODE_CHOICES: readonly {
  mode: CampaignMode;
  label: string;
  explanation: string;
}[] = [
  {
    mode: 'in-place',
    label: 'In place (only the sidecar restarts)',
    explanation:
      "Patches the running pods' sidecar image. For sidecars an injector adds at admission.",
  },
  {
    mode: 'workload',
    label: 'Workload restart (pods are replaced)',
    explanation:
      "Changes the image in each Deployment's pod template and follows its rollout. For sidecars the template declares.",
  },
  {
    mode: 'to-native',
    label: 'Move to a native sidecar (pods are replaced)',
    explanation:
      'Moves a sidecar the Deployment declares as a regular container into initContainers with restartPolicy: Always (Kubernetes ≥1.29), so it starts before your app and stops after it, running the target image (give the current one to change nothing else). Ports, probes, resources, env, mounts and securityContext are kept; a postStart hook or holdApplicationUntilProxyStarts that only made the app wait is left out. Rollback restores the exact previous template. Injected sidecars are skipped: their injector has to change.',
  },
];

export interface MaintenanceWindowValues {
  cron: string;
  durationMinutes: string;
  timeZone: string;
}

/** The campaign form's inputs as typed; `toCampaignSpec` turns them into the API's spec. */
export interface CampaignFormValues {
  name: string;
  container: string;
  targetImage: string;
  /** Set when the campaign is for one catalog entity; then the selector fields are not shown. */
  entityRef: string;
  /** Comma-separated. */
  clusters: string;
  /** Comma-separated. */
  namespaces: string;
  labelSelector: string;
  fleetWide: boolean;
  mode: CampaignMode;
  /** The user's choice; unset, `effectivePacing` picks rolling where it applies. */
  pacing?: Pacing;
  maxUnavailable: string;
  canaryEnabled: boolean;
  canarySize: string;
  canaryThen: 'pause' | 'bake';
  canaryBakeSeconds: string;
  bakeSeconds: string;
  healthTimeoutSeconds: string;
  failureBudget: string;
  rollbackOnFailure: boolean;
  /** A `datetime-local` input value, read in the browser's time zone. */
  notBefore: string;
  windows: MaintenanceWindowValues[];
  /** Metric gates checked after each batch; none for a campaign without them. */
  metrics: AnalysisMetricValues[];
  /** A fleet campaign in ordered waves, each naming its clusters; off is one wave over the selector. */
  wavesEnabled: boolean;
  waves: WaveValues[];
}

export type CampaignFormPatch = Partial<CampaignFormValues>;

export type Pacing = 'rolling' | 'batches';

/** Waves are for fleet campaigns: a campaign for one entity runs over its selector. */
export const usesWaves = (
  values: Pick<CampaignFormValues, 'entityRef' | 'wavesEnabled'>,
) => values.wavesEnabled && !values.entityRef;

/** Whether rolling pacing applies: in place only, and with no bake between batches. */
export const rollingAllowed = (values: Pick<CampaignFormValues, 'mode'>) =>
  values.mode === 'in-place';

/** The pacing the campaign gets: the user's choice where allowed, else rolling when it applies and no bake is set. */
export function effectivePacing(values: CampaignFormValues): Pacing {
  if (!rollingAllowed(values)) return 'batches';
  return (
    values.pacing ??
    (Number(values.bakeSeconds || 0) === 0 ? 'rolling' : 'batches')
  );
}

/** Looks up the API's validation message for a spec path such as "strategy.maxUnavailable". */
export type FieldErrorLookup = (specPath: string) => string | undefined;

export function browserTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function newMaintenanceWindow(): MaintenanceWindowValues {
  return {
    cron: '0 22 * * 1-5',
    durationMinutes: '240',
    timeZone: browserTimeZone(),
  };
}

export function initialCampaignFormValues(
  prefill: Partial<CampaignFormValues> = {},
): CampaignFormValues {
  return {
    name: '',
    container: '',
    targetImage: '',
    entityRef: '',
    clusters: '',
    namespaces: '',
    labelSelector: '',
    fleetWide: false,
    mode: 'in-place',
    maxUnavailable: '10%',
    canaryEnabled: false,
    canarySize: '1',
    canaryThen: 'pause',
    canaryBakeSeconds: '600',
    bakeSeconds: '60',
    healthTimeoutSeconds: '300',
    failureBudget: '0',
    rollbackOnFailure: true,
    notBefore: '',
    windows: [],
    metrics: [],
    wavesEnabled: false,
    waves: [],
    ...prefill,
  };
}

/** The local date-time from the picker as an ISO 8601 instant, which the API requires to carry an offset. */
function localDateTimeToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

export function toCampaignSpec(values: CampaignFormValues): CampaignSpecInput {
  const notBefore = localDateTimeToIso(values.notBefore);
  const windows = values.windows.map(window => ({
    cron: window.cron.trim(),
    durationMinutes: Number(window.durationMinutes),
    timeZone: window.timeZone.trim(),
  }));
  const entityRef = textOrUndefined(values.entityRef);
  const waved = usesWaves(values);
  // With waves each wave names its clusters, and the API refuses selector.clusters.
  const clusters = waved ? undefined : listOrUndefined(values.clusters);
  return {
    name: textOrUndefined(values.name),
    container: values.container.trim(),
    targetImage: values.targetImage.trim(),
    selector: entityRef
      ? { entityRef, clusters }
      : {
          clusters,
          namespaces: listOrUndefined(values.namespaces),
          labelSelector: textOrUndefined(values.labelSelector),
          fleetWide: values.fleetWide || undefined,
        },
    mode: values.mode,
    strategy: {
      maxUnavailable: optionalCountOrPercent(values.maxUnavailable),
      canary: values.canaryEnabled
        ? {
            size: countOrPercent(values.canarySize),
            then: values.canaryThen,
            bakeSeconds:
              values.canaryThen === 'bake'
                ? optionalNumber(values.canaryBakeSeconds)
                : undefined,
          }
        : undefined,
      bakeSeconds: optionalNumber(values.bakeSeconds),
      healthTimeoutSeconds: optionalNumber(values.healthTimeoutSeconds),
      failureBudget: optionalCountOrPercent(values.failureBudget),
      onFailure: values.rollbackOnFailure ? 'rollback' : 'pause',
      pacing: effectivePacing(values),
    },
    schedule:
      notBefore || windows.length > 0
        ? { notBefore, windows: windows.length > 0 ? windows : undefined }
        : undefined,
    analysis: toAnalysisSpec(values.metrics),
    waves: waved ? toWavesSpec(values.waves) : undefined,
  };
}

/** List items ("selector.clusters.1", "waves.0.clusters.2") are reported on the list's input. */
function inputPathOf(field: string): string {
  return field.replace(
    /^(selector\.(?:clusters|namespaces)|waves\.\d+\.clusters)\.\d+$/,
    '$1',
  );
}

/** Spec paths the form has an input for, given the current values. */
export function formInputPaths(values: CampaignFormValues): Set<string> {
  const paths = [
    'name',
    'container',
    'targetImage',
    'selector',
    'mode',
    'strategy.pacing',
    'strategy.maxUnavailable',
    'strategy.bakeSeconds',
    'strategy.healthTimeoutSeconds',
    'strategy.failureBudget',
    'strategy.onFailure',
    'schedule.notBefore',
    'schedule.windows',
  ];
  if (usesWaves(values)) paths.push(...wavesInputPaths(values.waves));
  else paths.push('selector.clusters');
  if (!values.entityRef)
    paths.push(
      'selector.namespaces',
      'selector.labelSelector',
      'selector.fleetWide',
    );
  if (values.canaryEnabled) {
    paths.push(
      'strategy.canary',
      'strategy.canary.size',
      'strategy.canary.then',
      'strategy.canary.bakeSeconds',
    );
  }
  paths.push(...analysisInputPaths(values.metrics));
  values.windows.forEach((_, index) => {
    for (const key of ['cron', 'durationMinutes', 'timeZone'])
      paths.push(`schedule.windows.${index}.${key}`);
  });
  return new Set(paths);
}

/** Splits the API's field errors into those an input shows and those shown above the form. */
export function placeFieldErrors(
  fields: readonly FieldError[],
  values: CampaignFormValues,
): { byInput: Record<string, string>; unplaced: FieldError[] } {
  const inputs = formInputPaths(values);
  const byInput: Record<string, string> = {};
  const unplaced: FieldError[] = [];
  for (const error of fields) {
    const path = inputPathOf(error.field);
    if (inputs.has(path)) {
      byInput[path] = byInput[path]
        ? `${byInput[path]} ${error.message}`
        : error.message;
    } else {
      unplaced.push(error);
    }
  }
  return { byInput, unplaced };
}

/** What each section of the campaign form receives. */
export interface CampaignFormSectionProps {
  values: CampaignFormValues;
  onChange: (patch: CampaignFormPatch) => void;
  errorFor: FieldErrorLookup;
}
