import type { FreezeWindow } from './freezes';
import type { PlanFingerprint } from './planner';
import type { StartOrdering } from './startOrdering';
import type { TargetImageFrom } from './templateRun';
import type { CampaignSpec, CampaignSpecInput, FieldError } from './spec';
import type {
  CampaignCounts,
  CampaignPhase,
  CampaignSignal,
  CampaignStatus,
} from './workflowContract';

/**
 * The REST contract of the `sidecars` backend plugin (mounted at /api/sidecars), shared by the
 * backend that serves it and the frontend client that calls it.
 */

/** How a sidecar got into its pods, which decides how it can be upgraded. */
export type SidecarKind =
  /** An init container with restartPolicy Always, declared in the workload's pod template. */
  | 'native'
  /** Added at admission (a mesh or logging injector): absent from the owning pod template; upgraded in place. */
  | 'injected'
  /** A regular container declared in the owning pod template; upgraded by a workload rollout. */
  | 'declared';

/**
 * Where a cluster's pods in an answer came from: the backend's watch cache (kept current by a
 * Kubernetes watch) or a direct list, made when the cluster's watch is down or not yet synced.
 */
export type InventorySource = 'watch' | 'list';

export interface ClusterAvailability {
  name: string;
  ok: boolean;
  /** Why the cluster's pods are missing from the result, when it did not answer. */
  error?: string;
}

/** A cluster's part of an inventory or fleet answer: whether it answered, and how fresh its pods are. */
export interface InventoryClusterAvailability extends ClusterAvailability {
  /** Where the cluster's pods came from, when it answered. */
  source?: InventorySource;
  /**
   * When the data was last known current (ISO time): for `watch`, the last event, bookmark or
   * reconnect the watch received; for `list`, when the list was made.
   */
  syncedAt?: string;
  /** Why the watch could not serve this cluster, when its pods came from a list or not at all. */
  watchError?: string;
}

export interface ResourceAmounts {
  cpu?: string;
  memory?: string;
}

export interface SidecarResources {
  requests: ResourceAmounts;
  limits: ResourceAmounts;
  /** The sidecar's requests as a fraction (0..1) of the whole pod's requests. */
  shareOfPod: { cpu?: number; memory?: number };
}

export interface SidecarVersionCount {
  image: string;
  /** The image tag (or digest prefix) parsed from the reference. */
  version: string;
  pods: number;
  readyPods: number;
  restarts: number;
}

export interface WorkloadSidecar {
  container: string;
  kind: SidecarKind;
  versions: SidecarVersionCount[];
  resources: SidecarResources;
  /** The newest version of this container seen anywhere in the fleet. */
  newestFleetVersion?: string;
  drift: 'current' | 'behind' | 'unknown';
  /** How many distinct fleet versions lie between this workload's oldest version and the newest. */
  versionsBehind?: number;
  /** Whether the app waits for this sidecar to start (read from the workload's first pod). */
  startOrdering: StartOrdering;
  /** Pods whose sidecar is in CrashLoopBackOff now or restarted 3 times in the last hour. */
  crashLoopingPods: number;
}

export interface WorkloadInventory {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  pods: number;
  readyPods: number;
  sidecars: WorkloadSidecar[];
}

export interface InventoryResponse {
  entityRef: string;
  workloads: WorkloadInventory[];
  clusters: InventoryClusterAvailability[];
  /** True when at least one cluster did not answer; its pods are missing. */
  partial: boolean;
}

export interface FleetVersionRow {
  cluster: string;
  namespace: string;
  image: string;
  version: string;
  pods: number;
}

export interface FleetResponse {
  container: string;
  newestVersion?: string;
  versions: Array<{ version: string; image: string; pods: number }>;
  rows: FleetVersionRow[];
  clusters: InventoryClusterAvailability[];
  partial: boolean;
}

/** POST /campaigns/plan and POST /campaigns take a spec; `fleetWide` campaigns need the platform permission. */
export interface CampaignRequest {
  spec: CampaignSpecInput;
  /** On POST /campaigns: the `fingerprint` of the plan preview the user approved, so the campaign's claim says what changed since. */
  previewedPlan?: PlanFingerprint;
}

export interface PlannedBatch {
  index: number;
  /** Target keys `cluster/namespace/name`: pods, or Deployments in workload mode. */
  pods: string[];
  /** The canary batch, as the plan decided it: the campaign pauses or bakes after it. */
  canary: boolean;
}

export interface PlanResponse {
  spec: CampaignSpec;
  maxUnavailable: number;
  totalPods: number;
  batches: PlannedBatch[];
  partitioned: string[];
  skipped: Array<{ target: string; reason: string }>;
  warnings: string[];
  /** The plan's figures, to send back as `previewedPlan` when starting the campaign. */
  fingerprint: PlanFingerprint;
  /** The configured freezes of the campaign's scope it may meet, earliest first: no batch starts while one is on. */
  freezes: FreezeWindow[];
  /** A campaign with waves: each wave's gate and what it would upgrade in each of its clusters (the batches above are all the lanes' in wave order). */
  waves?: WavePlan[];
}

export interface WavePlan {
  name: string;
  gate?: { approval: boolean; bakeSeconds: number };
  lanes: WaveLanePlan[];
}

/** What one wave would do in one cluster. */
export interface WaveLanePlan {
  cluster: string;
  /** Pods it would upgrade. */
  pods: number;
  batches: number;
  maxUnavailable: number;
  skipped: number;
}

export interface CampaignSummary {
  id: string;
  phase: CampaignPhase;
  container: string;
  targetImage: string;
  entityRef?: string;
  createdBy?: string;
  startedAt: string;
  closedAt?: string;
  counts?: CampaignCounts;
}

export interface CampaignListResponse {
  items: CampaignSummary[];
  nextPageToken?: string;
  /** Present when no worker has polled the campaign task queue lately: the rows show what each campaign last recorded. */
  worker?: WorkerPresence;
}

/** Whether a worker answers for the campaign task queue; sent when it did not. */
export interface WorkerPresence {
  polling: boolean;
  /** ISO 8601: the last time any worker polled the task queue, when Temporal remembers one. */
  lastPollAt?: string;
  message: string;
}

export interface CampaignDetail extends CampaignSummary {
  status: CampaignStatus;
  /**
   * `worker`: the workflow answered the status query. `recorded`: no worker answered, so this is
   * what the campaign last recorded in Temporal's visibility (no batches or failures lists).
   */
  statusSource: 'worker' | 'recorded';
  /** Present when no worker answered. */
  worker?: WorkerPresence;
  temporalUiUrl: string;
  /** Controls that apply in the current phase and that the caller may use. */
  allowedActions: CampaignSignal[];
}

/** The answer of POST /campaigns/:id/{pause,resume,rollback,abort} (202). */
export interface CampaignControlResponse extends CampaignDetail {
  control: {
    action: CampaignSignal;
    /** `applied`: the workflow recorded it; `queued`: Temporal keeps it until a worker polls. */
    outcome: 'applied' | 'queued';
    message: string;
  };
}

/** Error body of every 4xx/5xx answer (Backstage's error shape plus field-level details). */
export interface ApiErrorBody {
  error: { name: string; message: string };
  fields?: FieldError[];
}

/** A span of time, [start, end), as ISO 8601 instants. */
export interface CalendarInterval {
  start: string;
  end: string;
}

/** An open campaign as GET /calendar shows it. */
export interface CalendarCampaign {
  id: string;
  phase: CampaignPhase;
  container: string;
  targetImage: string;
  entityRef?: string;
  /** When its workflow started. */
  startedAt: string;
  /** `schedule.notBefore`, when the spec sets one. */
  notBefore?: string;
  /** When its work began (its first batch), or is due to begin (now or notBefore, whichever is later). */
  start: string;
  /** When it should end at the pace so far; null while there is no pace to go by (see `estimate`). */
  estimatedEnd: string | null;
  /** How `estimatedEnd` was reckoned, or why there is none. */
  estimate: string;
  /** The openings of its maintenance windows in the range, joined where they touch; absent: it has no windows (any time will do). */
  windows?: CalendarInterval[];
  /** The names of the configured freezes of its scope that meet the range. */
  freezes: string[];
  counts?: CampaignCounts;
}

/** The answer of GET /calendar?from=&to=: what happens to campaigns in [from, to). */
export interface CalendarResponse {
  from: string;
  to: string;
  /** When the answer was made, for the "now" marker. */
  now: string;
  /** The configured freezes that meet the range, earliest first. */
  freezes: FreezeWindow[];
  /** The open campaigns that are scheduled, running, paused or rolling back, and have something to show in the range. */
  campaigns: CalendarCampaign[];
  /** True when there were more open campaigns than the calendar lists. */
  truncated: boolean;
}

/** The body of POST /campaign-templates: a campaign spec that a Temporal Schedule starts at each cron time. */
export interface CampaignTemplateRequest {
  /** Shown in lists; its lowercase words joined by "-" are the template's id. */
  name: string;
  /** When a run starts: a 5-field cron expression, read in `timeZone`. */
  cron: string;
  /** An IANA time zone, e.g. "UTC" or "Europe/Berlin". */
  timeZone: string;
  /** At each run, the target image is the one most pods of the selection run in these clusters. */
  targetImageFrom?: TargetImageFrom;
  /** The campaign, as POST /campaigns takes it; with targetImageFrom its targetImage is replaced at each run. */
  spec: CampaignSpecInput;
}

/** One run of a template: the launcher workflow its Schedule started, and what became of it. */
export interface CampaignTemplateRun {
  /** The launcher workflow's id (`sidecar-template-<id>-<time>`). */
  workflowId: string;
  /** When it was due (ISO time), or triggered. */
  scheduledAt: string;
  /** `starting` while the launcher runs, `started` once it started the campaign, `skipped` when there was nothing to do. */
  outcome: 'starting' | 'started' | 'skipped' | 'failed';
  campaignId?: string;
  targetImage?: string;
  /** Why it was skipped or failed. */
  message?: string;
}

export interface CampaignTemplate {
  id: string;
  name: string;
  cron: string;
  timeZone: string;
  targetImageFrom?: TargetImageFrom;
  /** The resolved spec each run starts (an entity's selection written into its selector). */
  spec: CampaignSpec;
  entityRef?: string;
  createdBy: string;
  createdAt: string;
  paused: boolean;
  /** The Schedule's note, e.g. who paused it. */
  note?: string;
  /** The next due times (ISO), soonest first; none while paused. */
  nextRuns: string[];
  /** The latest runs, newest first. */
  lastRuns: CampaignTemplateRun[];
  /** Whether the caller may pause, resume, run or delete it (what starting its campaign needs). */
  mayManage: boolean;
  /** The Schedule in Temporal's web UI. */
  temporalUiUrl: string;
}

export interface CampaignTemplateListResponse {
  items: CampaignTemplate[];
}

export const CAMPAIGN_TEMPLATE_ACTIONS = [
  'pause',
  'unpause',
  'trigger',
] as const;
export type CampaignTemplateAction = (typeof CAMPAIGN_TEMPLATE_ACTIONS)[number];
