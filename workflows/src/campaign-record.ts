import {
  newMetricRun,
  noCounts,
  pendingCount,
  type ActiveFreeze,
  type FreezeWindow,
  type AnalysisRunSummary,
  type BatchSummary,
  CampaignCounts,
  CampaignEvent,
  CampaignPhase,
  CampaignSpec,
  CampaignStatus,
  FailureRecord,
  PauseCause,
  RecordedStatus,
  RollingWindowState,
  WaveStatus,
} from '@internal/plugin-sidecars-common/src/workflow';

/** Bounds that keep the workflow's state (and every payload) small at any fleet size. */
export const RECORD_LIMITS = {
  events: 50,
  batches: 30,
  failures: 50,
  recordedEvents: 10,
  analysisRuns: 10,
} as const;

/** Phases after which pods the campaign never started on are reported as not started. */
const ENDED_EARLY: readonly CampaignPhase[] = [
  'RolledBack',
  'Failed',
  'Aborted',
];

/** Everything a campaign carries across continueAsNew. */
export interface CampaignRecordState {
  campaignId: string;
  spec: CampaignSpec;
  phase: CampaignPhase;
  phaseReason?: string;
  pausedReason?: string;
  counts: CampaignCounts;
  currentBatch: number | null;
  totalBatches: number;
  nextBatch: number;
  maxUnavailable: number;
  claimed: boolean;
  batches: BatchSummary[];
  events: CampaignEvent[];
  failures: FailureRecord[];
  startedAt: string;
  updatedAt: string;
  leftChanged?: number;
  /** The rolling window in progress (set while it runs and while a pause or the failure budget stopped it); its tally so far is already in `counts`. */
  rollingWindow?: RollingWindowState;
  /** The metric gates' latest runs (campaigns with analysis only). */
  analysisRuns?: AnalysisRunSummary[];
  /** Analysis runs that failed; each counts against the failure budget like a failed pod. */
  failedAnalyses?: number;
  /** The freezes of the campaign's scope, as the backend last sent them. */
  freezes?: FreezeWindow[];
  /** The freeze holding the campaign now. */
  frozen?: ActiveFreeze;
  /** A campaign with waves: its waves, their gates and lanes. */
  waves?: WaveStatus[];
  /** A campaign with waves: why it is paused. */
  pauseCauses?: PauseCause[];
}

export function newRecordState(
  campaignId: string,
  spec: CampaignSpec,
  now: Date,
): CampaignRecordState {
  const at = now.toISOString();
  return {
    campaignId,
    spec,
    phase: 'Scheduled',
    counts: noCounts(),
    currentBatch: null,
    totalBatches: 0,
    nextBatch: 0,
    maxUnavailable: 0,
    claimed: false,
    batches: [],
    events: [],
    failures: [],
    startedAt: at,
    updatedAt: at,
  };
}

function pushBounded<T>(list: T[], item: T, limit: number): void {
  list.push(item);
  if (list.length > limit) list.splice(0, list.length - limit);
}

const copyWindow = (window: RollingWindowState): RollingWindowState => ({
  ...window,
  counted: { ...window.counted },
});

const copyWaves = (waves: WaveStatus[]): WaveStatus[] =>
  waves.map(wave => ({
    ...wave,
    ...(wave.gate ? { gate: { ...wave.gate } } : {}),
    lanes: wave.lanes.map(lane => ({
      ...lane,
      ...(lane.counts ? { counts: { ...lane.counts } } : {}),
    })),
  }));

/** The campaign's bounded, serialisable record; all mutation of workflow state goes through here. */
export class CampaignRecord {
  constructor(readonly state: CampaignRecordState) {}

  event(now: Date, type: string, message: string, by?: string): void {
    this.state.updatedAt = now.toISOString();
    pushBounded(
      this.state.events,
      { at: this.state.updatedAt, type, message, ...(by ? { by } : {}) },
      RECORD_LIMITS.events,
    );
  }

  setPhase(now: Date, phase: CampaignPhase, reason?: string): void {
    this.state.phase = phase;
    this.state.phaseReason = reason;
    if (ENDED_EARLY.includes(phase))
      this.count({ notStarted: this.state.counts.pending });
    this.event(now, `phase:${phase}`, reason ? `${phase}: ${reason}` : phase);
  }

  failures(
    now: Date,
    failed: ReadonlyArray<{ target: string; reason: string }>,
  ): void {
    for (const failure of failed) {
      pushBounded(
        this.state.failures,
        { pod: failure.target, reason: failure.reason, at: now.toISOString() },
        RECORD_LIMITS.failures,
      );
    }
  }

  /** Starts the summary of a batch, or of a rolling window of batches index..lastIndex. */
  startBatch(
    now: Date,
    index: number,
    size: number,
    direction: BatchSummary['direction'],
    lastIndex?: number,
  ): BatchSummary {
    const summary: BatchSummary = {
      index,
      ...(lastIndex !== undefined ? { lastIndex } : {}),
      size,
      upgraded: 0,
      failed: 0,
      rolledBack: 0,
      skipped: 0,
      startedAt: now.toISOString(),
      direction,
    };
    this.state.currentBatch = index;
    pushBounded(this.state.batches, summary, RECORD_LIMITS.batches);
    return summary;
  }

  finishBatch(now: Date, summary: BatchSummary): void {
    summary.finishedAt = now.toISOString();
    this.state.currentBatch = null;
    this.state.updatedAt = summary.finishedAt;
  }

  /** Starts the record of an analysis run over batches index..lastIndex. */
  startAnalysis(
    now: Date,
    index: number,
    lastIndex: number,
    metricNames: readonly string[],
  ): AnalysisRunSummary {
    const run: AnalysisRunSummary = {
      batch: index,
      ...(lastIndex !== index ? { lastBatch: lastIndex } : {}),
      phase: 'Running',
      metrics: metricNames.map(newMetricRun),
      startedAt: now.toISOString(),
    };
    this.state.analysisRuns ??= [];
    pushBounded(this.state.analysisRuns, run, RECORD_LIMITS.analysisRuns);
    return run;
  }

  finishAnalysis(now: Date, run: AnalysisRunSummary): void {
    run.finishedAt = now.toISOString();
    this.state.updatedAt = run.finishedAt;
    if (run.phase === 'Failed')
      this.state.failedAnalyses = (this.state.failedAnalyses ?? 0) + 1;
  }

  /** Failures that count against the budget: failed pods and failed analysis runs. */
  failuresAgainstBudget(): number {
    return this.state.counts.failed + (this.state.failedAnalyses ?? 0);
  }

  count(delta: Partial<CampaignCounts>): void {
    const counts = this.state.counts;
    for (const [key, value] of Object.entries(delta) as Array<
      [keyof CampaignCounts, number]
    >)
      counts[key] += value;
    counts.pending = pendingCount(counts);
  }

  /** The bounded summary published to the workflow's memo. */
  recordedStatus(effectivePhase: CampaignPhase): RecordedStatus {
    const s = this.state;
    return {
      phase: effectivePhase,
      ...(s.phaseReason ? { phaseReason: s.phaseReason } : {}),
      ...(s.pausedReason && effectivePhase === 'Paused'
        ? { pausedReason: s.pausedReason }
        : {}),
      ...(s.frozen ? { frozen: { ...s.frozen } } : {}),
      counts: { ...s.counts },
      currentBatch: s.currentBatch,
      totalBatches: s.totalBatches,
      events: s.events.slice(-RECORD_LIMITS.recordedEvents),
      updatedAt: s.updatedAt,
      // The memo stays small: each lane's phase; the backend reads a lane's progress from the lane.
      ...(s.waves
        ? {
            waves: s.waves.map(wave => ({
              ...wave,
              ...(wave.gate ? { gate: { ...wave.gate } } : {}),
              lanes: wave.lanes.map(({ cluster, campaignId, phase }) => ({
                cluster,
                campaignId,
                ...(phase ? { phase } : {}),
              })),
            })),
          }
        : {}),
      ...(s.pauseCauses?.length ? { pauseCauses: [...s.pauseCauses] } : {}),
      ...(s.rollingWindow
        ? { rollingWindow: copyWindow(s.rollingWindow) }
        : {}),
    };
  }

  status(effectivePhase: CampaignPhase): CampaignStatus {
    const s = this.state;
    return {
      campaignId: s.campaignId,
      phase: effectivePhase,
      spec: s.spec,
      counts: { ...s.counts },
      currentBatch: s.currentBatch,
      totalBatches: s.totalBatches,
      batches: s.batches.map(b => ({ ...b })),
      events: [...s.events],
      failures: [...s.failures],
      ...(s.pausedReason && effectivePhase === 'Paused'
        ? { pausedReason: s.pausedReason }
        : {}),
      ...(s.phaseReason ? { phaseReason: s.phaseReason } : {}),
      ...(s.frozen ? { frozen: { ...s.frozen } } : {}),
      startedAt: s.startedAt,
      updatedAt: s.updatedAt,
      ...(s.leftChanged !== undefined ? { leftChanged: s.leftChanged } : {}),
      ...(s.analysisRuns
        ? {
            analysisRuns: s.analysisRuns.map(run => ({
              ...run,
              metrics: run.metrics.map(m => ({ ...m })),
            })),
          }
        : {}),
      ...(s.waves ? { waves: copyWaves(s.waves) } : {}),
      ...(s.pauseCauses?.length ? { pauseCauses: [...s.pauseCauses] } : {}),
      ...(s.rollingWindow
        ? { rollingWindow: copyWindow(s.rollingWindow) }
        : {}),
    };
  }
}
