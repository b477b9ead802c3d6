import type {
  CampaignSpec,
  Measurement,
  PlanFingerprint,
} from '@internal/plugin-sidecars-common/src/workflow';
import type { CampaignInput } from './campaign';

/** A pod (or workload, in workload mode) the campaign did not act on, and why. */
export interface SkippedTarget {
  target: string;
  reason: string;
}

export interface ClaimResult {
  /** Targets selected by the spec (pods in place; Deployments and unmanaged pods in workload mode), including skipped and partitioned ones. */
  selected: number;
  /** Pods the spec's selector matched, in either mode: the preview's totalPods. */
  selectedPods: number;
  /** Targets now held by this campaign, planned into batches. */
  claimed: number;
  totalBatches: number;
  maxUnavailable: number;
  skipped: number;
  /** A bounded sample of skip reasons, so payloads stay small at any fleet size. */
  skippedSample: SkippedTarget[];
  /** "plan changed since preview: …" when the campaign was started from a preview whose figures differ from this claim's. */
  planChange?: string;
}

export interface PodFailure {
  target: string;
  reason: string;
}

export interface PatchBatchResult {
  patched: number;
  /** Whether this is the canary batch, as the plan decided when the campaign claimed its targets. */
  canary: boolean;
  skipped: SkippedTarget[];
}

export interface BatchOutcome {
  upgraded: number;
  /** Targets that failed health checks; each was put back on its previous image. */
  failed: PodFailure[];
  skipped: SkippedTarget[];
  /** Pods the campaign left unavailable (a restore that did not become Ready either). */
  unavailableLeft: number;
}

/** A rolling window: the batches [fromBatch, toBatch) worked through as one stream of pods. */
export interface RollWindow {
  fromBatch: number;
  toBatch: number;
  maxUnavailable: number;
  /** Failures among the window's pods it may absorb; one more and it stops starting pods. */
  failureBudget: number;
}

/** How a rolling window ended. */
export interface RollOutcome {
  /** Pods of the window's batches on the target image, Ready. */
  upgraded: number;
  /** A bounded sample of the window's failed pods (each put back on its previous image). */
  failed: PodFailure[];
  failedCount: number;
  /** A bounded sample of pods the window did not change, and why. */
  skipped: SkippedTarget[];
  skippedCount: number;
  /** Pods of the window still pending: not started because the window stopped early. */
  pending: number;
  /** 'done': every pod of the window settled; 'cancelled': a control stopped it; 'budget': failures exceeded the budget. */
  stopped: 'done' | 'cancelled' | 'budget';
}

/** The claim and the first rolling window, run as one activity so that pods start while later ones are still being held. */
export interface ClaimedFirstWindow {
  claim: ClaimResult;
  /** The window the activity worked through: batches [0, min(totalBatches, windowBatches)). */
  window: RollWindow;
  outcome: RollOutcome;
}

/** The outcome of a window with no pods in it: a plan of zero batches. */
export const NOTHING_ROLLED: RollOutcome = {
  upgraded: 0,
  failed: [],
  failedCount: 0,
  skipped: [],
  skippedCount: 0,
  pending: 0,
  stopped: 'done',
};

export interface RollbackStepResult {
  /** Targets restored in this step; 0 means nothing the campaign changed is left. */
  restored: number;
  failed: PodFailure[];
  unavailableLeft: number;
}

export interface CampaignRef {
  campaignId: string;
  spec: CampaignSpec;
  /** The figures of the plan preview the campaign was started from, if any; the claim says what changed since. */
  previewedPlan?: PlanFingerprint;
}

/**
 * Activities are batch-level so a campaign's history stays small: one call per batch,
 * with per-pod progress recorded on the pods themselves and in heartbeats.
 */
export interface CampaignActivities {
  claimTargets(ref: CampaignRef): Promise<ClaimResult>;
  patchBatch(ref: CampaignRef, batch: number): Promise<PatchBatchResult>;
  awaitBatch(ref: CampaignRef, batch: number): Promise<BatchOutcome>;
  /**
   * Rolling pacing: works through the held pods of batches [fromBatch, toBatch), starting a pod as
   * soon as one settles, never more than maxUnavailable in flight; stops starting pods once more
   * than the window's failure budget failed, or when cancelled (pause, abort, rollback).
   */
  rollBatches(ref: CampaignRef, window: RollWindow): Promise<RollOutcome>;
  /**
   * claimTargets, and, as the holds land in plan order, rollBatches over the first `windowBatches`
   * batches (rolling pacing without a canary). A cancellation stops it starting pods, never holding
   * them: the claim always completes.
   */
  claimAndRollFirstWindow(
    ref: CampaignRef,
    windowBatches: number,
  ): Promise<ClaimedFirstWindow>;
  /** The same tally as rollBatches returns, read from the pods of batches [fromBatch, toBatch) as they are. */
  tallyBatches(
    ref: CampaignRef,
    fromBatch: number,
    toBatch: number,
  ): Promise<RollOutcome>;
  rollbackStep(
    ref: CampaignRef,
    maxUnavailable: number,
  ): Promise<RollbackStepResult>;
  releaseHolds(ref: CampaignRef): Promise<number>;
  /**
   * One measurement of the spec's analysis metric `metricName`: its query against the worker's
   * Prometheus, judged by the metric's conditions. Throws (to be retried) when Prometheus is
   * unreachable or answers 5xx; a query Prometheus refuses is an Inconclusive measurement.
   */
  measureMetric(ref: CampaignRef, metricName: string): Promise<Measurement>;
}

/** What the version lookup of a template's run found. */
export interface TemplateImage {
  /** The image most pods of the selection run in the source clusters. */
  image: string;
  /** How many pods of the selection in the source clusters run it. */
  pods: number;
  /** Pods of the campaign's own selection (in its clusters) that have the container. */
  selected: number;
  /** Of those, the pods whose container runs another image. */
  behind: number;
}

/** The activities of the campaignTemplateRun workflow (see workers/src/activities/template-image.ts). */
export interface TemplateActivities {
  /**
   * The image the spec's container runs in most of its selected pods in `clusters` (a
   * non-retryable failure naming them when none runs it), and how many pods of the spec's own
   * selection run another one.
   */
  templateImage(spec: CampaignSpec, clusters: string[]): Promise<TemplateImage>;
  /**
   * Starts campaign `campaignId` on this task queue with the memo and search attributes the
   * backend gives a campaign it starts; a campaign of that id already started (by this activity's
   * earlier attempt) counts as started.
   */
  startTemplateCampaign(start: TemplateCampaignStart): Promise<void>;
}

export interface TemplateCampaignStart {
  campaignId: string;
  templateId: string;
  input: CampaignInput & { createdBy: string };
}
