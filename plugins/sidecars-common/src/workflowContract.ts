// The workflow's public contract (see DESIGN.md, "Public contract"): names shared by the workflow,
// the worker, the backend and the frontend. Constants and types only.
import type { AnalysisRunSummary } from './analysis';
import type { ActiveFreeze } from './freezes';
import type { CampaignSpec } from './spec';

export const CAMPAIGN_TASK_QUEUE = 'sidecar-campaigns';
export const CAMPAIGN_WORKFLOW_TYPE = 'sidecarCampaign';
/** One wave of a waved campaign in one cluster: a child workflow of the campaign, not listed as a campaign of its own. */
export const CAMPAIGN_LANE_WORKFLOW_TYPE = 'sidecarCampaignLane';
/** The signal a waved campaign sends a completed lane when the lane may end: no rollback will come. */
export const LANE_RELEASE_SIGNAL = 'release';
export const CAMPAIGN_SIGNALS = [
  'pause',
  'resume',
  'rollback',
  'abort',
  'approve',
] as const;
export type CampaignSignal = (typeof CAMPAIGN_SIGNALS)[number];
export const CAMPAIGN_STATUS_QUERY = 'status';
/** The signal that gives a running campaign the freezes of its scope as now configured (a list of FreezeWindow). */
export const CAMPAIGN_FREEZES_SIGNAL = 'freezes';

export const CAMPAIGN_PHASES = [
  'Scheduled',
  'Running',
  'Paused',
  'RollingBack',
  'Completed',
  'RolledBack',
  'Failed',
  'Aborted',
] as const;
export type CampaignPhase = (typeof CAMPAIGN_PHASES)[number];

/** Phases in which a campaign has ended for good (a Completed one may still take a rollback during its window). */
export const SETTLED_PHASES: readonly CampaignPhase[] = [
  'Completed',
  'RolledBack',
  'Failed',
  'Aborted',
];
export const isSettledPhase = (phase: CampaignPhase): boolean =>
  SETTLED_PHASES.includes(phase);

/** The phases in which each control applies. */
export const CONTROL_PHASES: Record<CampaignSignal, readonly CampaignPhase[]> =
  {
    pause: ['Scheduled', 'Running'],
    resume: ['Paused'],
    rollback: ['Running', 'Paused', 'Completed'],
    abort: ['Scheduled', 'Running', 'Paused'],
    // A wave gate that waits for approval shows the campaign Paused.
    approve: ['Paused'],
  };

/** Who acts when the campaign itself decides (failure budget, canary pause). */
export const SYSTEM_ACTOR = 'sidecar-campaigns';

/** The argument of every control signal. */
export interface ControlSignalArgs {
  reason?: string;
  /** Who asked, e.g. a Backstage user entity ref. */
  by?: string;
}

export interface CampaignCounts {
  total: number;
  upgraded: number;
  failed: number;
  rolledBack: number;
  skipped: number;
  /** Held pods still to be worked on while the campaign runs. */
  pending: number;
  /** Pods a campaign that ended (rolled back, aborted, failed) never started on. */
  notStarted: number;
}

export const noCounts = (): CampaignCounts => ({
  total: 0,
  upgraded: 0,
  failed: 0,
  rolledBack: 0,
  skipped: 0,
  pending: 0,
  notStarted: 0,
});

/** Held pods still to be worked on: those not yet counted as done either way. */
export const pendingCount = (counts: CampaignCounts): number =>
  Math.max(
    0,
    counts.total -
      counts.upgraded -
      counts.failed -
      counts.skipped -
      counts.rolledBack -
      counts.notStarted,
  );

export interface BatchSummary {
  index: number;
  /** Under rolling pacing one summary covers a window of batches: index..lastIndex. */
  lastIndex?: number;
  size: number;
  upgraded: number;
  failed: number;
  rolledBack: number;
  skipped: number;
  /** ISO 8601. */
  startedAt: string;
  finishedAt?: string;
  direction: 'upgrade' | 'rollback';
}

export interface CampaignEvent {
  /** ISO 8601. */
  at: string;
  type: string;
  message: string;
  by?: string;
}

export interface FailureRecord {
  /** Pod key, "cluster/namespace/name". */
  pod: string;
  reason: string;
  at: string;
}

/**
 * What the workflow records in its memo (`status` key) at each phase change, batch and control, so
 * the campaign's phase and counts can be shown while no worker answers queries; its events are
 * the most recent ones only.
 */
export type RecordedStatus = Pick<
  CampaignStatus,
  | 'phase'
  | 'phaseReason'
  | 'pausedReason'
  | 'frozen'
  | 'counts'
  | 'currentBatch'
  | 'totalBatches'
  | 'events'
  | 'updatedAt'
  | 'waves'
  | 'pauseCauses'
  | 'rollingWindow'
>;

export const CAMPAIGN_MEMO_STATUS_KEY = 'status';

/** The answer of the `status` query. */
export interface CampaignStatus {
  campaignId: string;
  phase: CampaignPhase;
  spec: CampaignSpec;
  counts: CampaignCounts;
  currentBatch: number | null;
  totalBatches: number;
  batches: BatchSummary[];
  events: CampaignEvent[];
  failures: FailureRecord[];
  pausedReason?: string;
  phaseReason?: string;
  /** The freeze holding the campaign: no batch starts until it ends. */
  frozen?: ActiveFreeze;
  startedAt: string;
  updatedAt: string;
  leftChanged?: number;
  /** The rolling window in progress, and its tally as the workflow last counted it (already in `counts`). */
  rollingWindow?: RollingWindowState;
  /**
   * What the worker last reported of the activity it runs (its heartbeat); the backend adds it, and
   * the counts above include a rolling window's progress from it, which the workflow itself counts
   * only when the window ends.
   */
  activity?: ReportedActivity;
  /** The metric gates' latest runs, newest last (a bounded list); absent for a campaign without analysis. */
  analysisRuns?: AnalysisRunSummary[];
  /** A campaign with waves: each wave's gate and its lanes, one per cluster. */
  waves?: WaveStatus[];
  /** A paused campaign with waves: what holds it (resume lifts a pause control or a paused lane, approve a gate). */
  pauseCauses?: PauseCause[];
}

export type PauseCause = 'control' | 'gate' | 'lane';

export interface RollingWindowState {
  fromBatch: number;
  /** Exclusive. */
  toBatch: number;
  counted: { upgraded: number; failed: number; skipped: number };
}

/** A plan's figures as the workflow counts them: targets selected, skipped (partition included) and batches. */
export interface PlanFigures {
  selected: number;
  skipped: number;
  totalBatches: number;
}

/** What an activity reports as it goes, in its heartbeat. */
export type ActivityProgress =
  | { stage: 'selecting'; cluster: string; listed: number }
  | { stage: 'holding'; held: number }
  /** Lets go of the pods still held, then counts those left upgraded. */
  | { stage: 'releasing'; released: number; counted: number }
  | {
      stage: 'rolling';
      fromBatch: number;
      /** Exclusive. */
      toBatch: number;
      /** The window's pods by state. */
      states: Partial<Record<PodState, number>>;
      inFlight: number;
      /** Why the window starts no more pods, while it waits for those in flight. */
      stopping?: 'budget' | 'cancelled';
      /** The campaign's plan, while the workflow has not recorded it (during the first window). */
      plan?: PlanFigures;
    }
  | { stage: 'settling'; inFlight: number; targets: number };

export interface ReportedActivity {
  progress: ActivityProgress;
  /** ISO 8601: the heartbeat's time. */
  reportedAt: string;
}

export const WAVE_STATES = [
  'pending',
  'gated',
  'running',
  'completed',
  'stopped',
  'rolling-back',
  'rolled-back',
] as const;
export type WaveState = (typeof WAVE_STATES)[number];

/** The gate before a wave: a bake after the wave before it, an approval, or both. */
export interface WaveGateStatus {
  approval: boolean;
  bakeSeconds: number;
  state: 'pending' | 'baking' | 'awaiting-approval' | 'passed';
  /** ISO 8601: when the bake ends (while baking). */
  bakeUntil?: string;
  approvedBy?: string;
  approvedAt?: string;
}

/** One wave in one cluster, run by a child workflow (`campaignId`). */
export interface WaveLaneStatus {
  cluster: string;
  campaignId: string;
  /** Absent until the lane starts; the campaign records a lane's phase when it starts and ends, the backend adds the live one. */
  phase?: CampaignPhase;
  phaseReason?: string;
  pausedReason?: string;
  counts?: CampaignCounts;
  currentBatch?: number | null;
  totalBatches?: number;
}

export interface WaveStatus {
  name: string;
  state: WaveState;
  gate?: WaveGateStatus;
  lanes: WaveLaneStatus[];
}

export const CAMPAIGN_KEY_PREFIX = 'sidecar-campaigns.io/';

export const CAMPAIGN_LABELS = {
  campaign: 'sidecar-campaigns.io/campaign',
  hold: 'sidecar-campaigns.io/hold',
  state: 'sidecar-campaigns.io/state',
  batch: 'sidecar-campaigns.io/batch',
} as const;

export const CAMPAIGN_ANNOTATIONS = {
  previousImage: 'sidecar-campaigns.io/previous-image',
  targetImage: 'sidecar-campaigns.io/target-image',
  container: 'sidecar-campaigns.io/container',
  failureReason: 'sidecar-campaigns.io/failure-reason',
  patchedAt: 'sidecar-campaigns.io/patched-at',
  /** The container's restartCount just before the campaign changed its image. */
  restartBaseline: 'sidecar-campaigns.io/restart-baseline',
  /** Mode to-native, on the Deployment: the regular container it moved (JSON of a LegacySidecarRecord), for the rollback. */
  legacySidecar: 'sidecar-campaigns.io/legacy-sidecar',
} as const;

/** Values of the `sidecar-campaigns.io/state` label. */
export const POD_STATES = [
  'pending',
  'upgrading',
  'upgraded',
  'failed',
  'rolling-back',
  'rolled-back',
  'skipped',
] as const;
export type PodState = (typeof POD_STATES)[number];
