import * as wf from '@temporalio/workflow';
import {
  activeFreeze,
  CAMPAIGN_MEMO_STATUS_KEY,
  describeAnalysisRun,
  describeFreeze,
  resolveCount,
  SYSTEM_ACTOR,
  windowState,
  type ActiveFreeze,
  type AnalysisRunSummary,
  type BatchSummary,
  type CampaignPhase,
  type CampaignSignal,
  type CampaignSpec,
  type CampaignStatus,
  type ControlSignalArgs,
  type FreezeWindow,
  type PlanFingerprint,
  type RollingWindowState,
} from '@internal/plugin-sidecars-common/src/workflow';
import {
  NOTHING_ROLLED,
  type CampaignActivities,
  type CampaignRef,
  type ClaimedFirstWindow,
  type ClaimResult,
  type PodFailure,
  type RollOutcome,
  type RollWindow,
  type SkippedTarget,
} from './activity-contract';
import {
  CampaignRecord,
  newRecordState,
  type CampaignRecordState,
} from './campaign-record';
import { runAnalysis } from './analysis-gate';
import { controlRefusal, noControls, type ControlState } from './controls';
import {
  abortSignal,
  freezesSignal,
  laneReleaseSignal,
  laneReportSignal,
  pauseSignal,
  resumeSignal,
  rollbackSignal,
  statusQuery,
} from './definitions';
import { CampaignSearchAttributes } from './search-attributes';
import { recordCampaignIdentity } from './campaign-identity';
import { wavedCampaign } from './waved-campaign';

export interface CampaignInput {
  spec: CampaignSpec;
  createdBy?: string;
  entityRef?: string;
  /** The figures of the plan preview the user approved; the claim says what changed since. */
  previewedPlan?: PlanFingerprint;
  /** The configured freezes that cover the campaign's scope (resolved by the backend); no batch starts while one is on. */
  freezes?: FreezeWindow[];
  /** State carried across continueAsNew; absent on the first run. */
  carried?: CarriedState;
}

interface CarriedState {
  record: CampaignRecordState;
  controls: ControlState;
}

const RECORDED_STATUS_PATCH = 'recorded-status-memo';

const RETRY = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
} as const;

/** Batches per rolling window: few workflow round trips, and a continueAsNew point every window. */
const WINDOW_BATCHES = 20;

/** Patch marker: campaigns started before it claim first and roll after. */
const CLAIM_WITH_FIRST_WINDOW = 'claim-with-first-window';

/** Patch marker: campaigns started before it know no freezes. */
const FREEZES = 'freezes';

/** Patch marker: campaigns started before it have no metric gates. */
const METRIC_GATES = 'metric-gates';

/** Retries of one Prometheus measurement (5xx, unreachable) before it counts as inconclusive. */
const MEASURE_RETRY = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '10s',
  maximumAttempts: 4,
} as const;

function activitiesFor(spec: CampaignSpec) {
  const quick = wf.proxyActivities<CampaignActivities>({
    startToCloseTimeout: '10m',
    heartbeatTimeout: '10s',
    retry: RETRY,
  });
  const health = wf.proxyActivities<CampaignActivities>({
    // Health waits per pod, then may restore failed pods and wait again.
    startToCloseTimeout: `${spec.strategy.healthTimeoutSeconds * 2 + 120}s`,
    heartbeatTimeout: '10s',
    retry: RETRY,
  });
  const rolling = wf.proxyActivities<CampaignActivities>({
    // Each of a window's waves of pods may take two health timeouts (upgrade, then restore).
    startToCloseTimeout: `${WINDOW_BATCHES * spec.strategy.healthTimeoutSeconds * 2 + 300}s`,
    heartbeatTimeout: '10s',
    retry: RETRY,
    // A pause, abort or rollback cancels the window; the pods it has in flight still settle.
    cancellationType: wf.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  const measure = wf.proxyActivities<CampaignActivities>({
    startToCloseTimeout: '30s',
    retry: MEASURE_RETRY,
  });
  return {
    measureMetric: measure.measureMetric,
    claimTargets: quick.claimTargets,
    patchBatch: quick.patchBatch,
    releaseHolds: quick.releaseHolds,
    tallyBatches: quick.tallyBatches,
    awaitBatch: health.awaitBatch,
    rollbackStep: health.rollbackStep,
    rollBatches: rolling.rollBatches,
    claimAndRollFirstWindow: rolling.claimAndRollFirstWindow,
  };
}

const now = () => new Date();
const describeControl = (verb: string, args: ControlSignalArgs) =>
  `${verb}${args.reason ? `: ${args.reason}` : ''}`;

/** A sidecar upgrade campaign: claim, batch by batch upgrade with health gates, rollback, abort. */
export async function sidecarCampaign(
  input: CampaignInput,
): Promise<CampaignStatus> {
  if (input.spec.waves) return wavedCampaign(input);
  return runCampaign(input, undefined);
}

/**
 * One wave of a waved campaign in one cluster, started by the campaign as a child workflow. It runs
 * as a campaign does, tells the campaign of each phase it enters, and once completed waits for the
 * campaign to release it or roll it back.
 */
export async function sidecarCampaignLane(
  input: CampaignInput,
): Promise<CampaignStatus> {
  return runCampaign(input, wf.workflowInfo().parent?.workflowId);
}

/** Runs one campaign; a lane of a campaign in waves names that campaign (`parentId`), which it reports to. */
async function runCampaign(
  input: CampaignInput,
  parentId: string | undefined,
): Promise<CampaignStatus> {
  const campaignId = wf.workflowInfo().workflowId;
  const record = new CampaignRecord(
    input.carried?.record ?? newRecordState(campaignId, input.spec, now()),
  );
  record.state.counts.notStarted ??= 0;
  if (!input.carried && input.freezes?.length)
    record.state.freezes = input.freezes;
  const controls: ControlState = input.carried?.controls ?? noControls();
  const spec = record.state.spec;
  const ref: CampaignRef = {
    campaignId,
    spec,
    ...(input.previewedPlan ? { previewedPlan: input.previewedPlan } : {}),
  };
  const acts = activitiesFor(spec);
  let patching = false;

  const effectivePhase = (): CampaignPhase =>
    record.state.phase === 'Running' && controls.paused && !patching
      ? 'Paused'
      : record.state.phase;
  let publishedPhase: CampaignPhase | undefined;
  let publishedMemo: string | undefined;
  /** Records phase and progress in visibility (search attribute and memo), where they can be read while no worker runs. */
  const publish = () => {
    const phase = effectivePhase();
    if (phase !== publishedPhase) {
      publishedPhase = phase;
      wf.upsertSearchAttributes({
        [CampaignSearchAttributes.phase.name]: [phase],
      });
      reportToCampaign(phase);
    }
    const recorded = record.recordedStatus(phase);
    const serialized = JSON.stringify({ ...recorded, updatedAt: undefined });
    if (serialized === publishedMemo) return;
    publishedMemo = serialized;
    // Campaigns started before the memo existed replay without it.
    if (wf.patched(RECORDED_STATUS_PATCH))
      wf.upsertMemo({ [CAMPAIGN_MEMO_STATUS_KEY]: recorded });
  };
  /** A lane tells its campaign of each phase it enters (a few signals per lane, never per pod). */
  function reportToCampaign(phase: CampaignPhase): void {
    if (!parentId) return;
    const reason =
      phase === 'Paused' ? record.state.pausedReason : record.state.phaseReason;
    // A campaign that has ended no longer listens; the lane goes on regardless.
    wf.getExternalWorkflowHandle(parentId)
      .signal(laneReportSignal, {
        campaignId,
        phase,
        ...(reason ? { reason } : {}),
        counts: { ...record.state.counts },
      })
      .catch(() => undefined);
  }
  let released = false;
  wf.setHandler(laneReleaseSignal, () => {
    released = true;
  });
  const setPhase = (phase: CampaignPhase, reason?: string) => {
    record.setPhase(now(), phase, reason);
    publish();
  };

  // Approve opens a wave gate: only a campaign with waves takes it.
  type SingleControl = Exclude<CampaignSignal, 'approve'>;
  const APPLY: Record<SingleControl, (args: ControlSignalArgs) => string> = {
    pause: args => {
      controls.paused = true;
      record.state.pausedReason = describeControl('paused', args);
      return describeControl('pause requested', args);
    },
    resume: args => {
      controls.paused = false;
      record.state.pausedReason = undefined;
      return describeControl('resumed', args);
    },
    rollback: args => {
      controls.rollback = args;
      return describeControl('rollback requested', args);
    },
    abort: args => {
      controls.abort = args;
      return describeControl('abort requested', args);
    },
  };
  const handleControl =
    (action: SingleControl) => (args: ControlSignalArgs) => {
      const refusal = controlRefusal(action, controls, effectivePhase());
      if (refusal)
        record.event(
          now(),
          'ignored',
          `${action} ignored: ${refusal}`,
          args.by,
        );
      else record.event(now(), action, APPLY[action](args), args.by);
      publish();
    };

  wf.setHandler(statusQuery, () => record.status(effectivePhase()));
  wf.setHandler(pauseSignal, handleControl('pause'));
  wf.setHandler(resumeSignal, handleControl('resume'));
  wf.setHandler(rollbackSignal, handleControl('rollback'));
  wf.setHandler(abortSignal, handleControl('abort'));

  if (!input.carried)
    recordCampaignIdentity(
      record,
      input,
      `campaign for ${spec.container} → ${spec.targetImage}`,
    );
  publish();

  const interrupted = () =>
    controls.abort !== null || controls.rollback !== null;

  /** Bumped by each freezes signal, so a hold for a freeze wakes to look again. */
  let freezeUpdates = 0;
  wf.setHandler(freezesSignal, freezes => {
    // The backend sends them at each of its starts: the same list changes nothing.
    if (JSON.stringify(freezes) === JSON.stringify(record.state.freezes ?? []))
      return;
    record.state.freezes = freezes;
    freezeUpdates++;
  });

  /** The freeze holding the campaign now, if any; campaigns started before freezes know none. */
  const currentFreeze = (): ActiveFreeze | undefined => {
    const freezes = record.state.freezes ?? [];
    return freezes.length > 0 && wf.patched(FREEZES)
      ? activeFreeze(freezes, now())
      : undefined;
  };

  /** Shows the campaign Scheduled for `reason` until `until` (null: for good) or until `wake` holds. */
  async function holdScheduled(
    reason: string,
    until: Date | null,
    wake: () => boolean,
  ): Promise<void> {
    setPhase('Scheduled', reason);
    const waitMs = until
      ? Math.max(1, until.getTime() - Date.now())
      : undefined;
    await (waitMs === undefined
      ? wf.condition(wake)
      : wf.condition(wake, waitMs));
  }

  /** Holds the campaign while `freeze` lasts (or until the freezes change, or a control interrupts). */
  async function holdFrozen(freeze: ActiveFreeze): Promise<void> {
    record.state.frozen = freeze;
    const updates = freezeUpdates;
    await holdScheduled(
      describeFreeze(freeze),
      new Date(freeze.until),
      () => interrupted() || freezeUpdates !== updates,
    );
    if (interrupted() || currentFreeze() !== undefined) return;
    record.state.frozen = undefined;
    setPhase('Running', `freeze "${freeze.name}" is over`);
  }

  /** Waits until a new batch may start; returns false when an abort or rollback interrupts. */
  async function gate(): Promise<boolean> {
    for (;;) {
      if (interrupted()) {
        record.state.frozen = undefined;
        return false;
      }
      if (controls.paused) {
        await wf.condition(() => !controls.paused || interrupted());
        continue;
      }
      const freeze = currentFreeze();
      if (freeze) {
        await holdFrozen(freeze);
        continue;
      }
      const window = windowState(spec.schedule?.windows ?? [], now());
      if (!window.open) {
        const opens = window.opensAt
          ? `next window opens at ${window.opensAt.toISOString()}`
          : 'no maintenance window opens in the future';
        await holdScheduled(
          `outside maintenance windows: ${opens}`,
          window.opensAt,
          interrupted,
        );
        setPhase('Running', 'maintenance window open');
        continue;
      }
      return true;
    }
  }

  const recordSkips = (skipped: SkippedTarget[], count = skipped.length) => {
    if (count <= 0) return;
    record.count({ skipped: count });
    record.event(
      now(),
      'skipped',
      `skipped ${count}: ${skipped
        .slice(0, 5)
        .map(s => `${s.target} (${s.reason})`)
        .join('; ')}`,
    );
  };

  const recordFailures = (failed: PodFailure[]) => {
    if (failed.length === 0) return;
    record.failures(now(), failed);
    record.event(
      now(),
      'failed',
      `${failed.length} failed and restored: ${failed
        .slice(0, 5)
        .map(f => `${f.target}: ${f.reason}`)
        .join('; ')}`,
    );
  };

  async function rollBack(reason: string): Promise<void> {
    setPhase('RollingBack', reason);
    for (let step = 0; ; step++) {
      const summary = record.startBatch(
        now(),
        step,
        record.state.maxUnavailable,
        'rollback',
      );
      const result = await acts.rollbackStep(
        ref,
        Math.max(1, record.state.maxUnavailable),
      );
      summary.rolledBack = result.restored;
      summary.failed = result.failed.length;
      record.finishBatch(now(), summary);
      record.count({ upgraded: -result.restored, rolledBack: result.restored });
      recordFailures(result.failed);
      if (result.restored === 0 && result.failed.length === 0) break;
    }
    await acts.releaseHolds(ref);
    setPhase('RolledBack', reason);
  }

  async function abort(args: ControlSignalArgs): Promise<void> {
    const leftChanged = await acts.releaseHolds(ref);
    record.state.leftChanged = leftChanged;
    setPhase(
      'Aborted',
      `${describeControl('aborted', args)}${args.by ? ` by ${args.by}` : ''}; ${leftChanged} pod(s) left on ${spec.targetImage} ` +
        `(kubectl get pods -A -l sidecar-campaigns.io/campaign=${campaignId},sidecar-campaigns.io/state=upgraded)`,
    );
  }

  /** Runs the batches; returns how the run ended. */
  async function upgrade(): Promise<'completed' | 'abort' | 'rollback'> {
    // Campaigns without a pacing (older ones too) run in batches.
    const rolling = spec.strategy.pacing === 'rolling';
    const budgetNow = () =>
      resolveCount(
        spec.strategy.failureBudget,
        record.state.counts.total - record.state.counts.skipped,
        'down',
      );
    let failureBudget = record.state.claimed ? budgetNow() : 0;

    function recordClaim(claim: ClaimResult): void {
      record.state.claimed = true;
      record.state.totalBatches = claim.totalBatches;
      record.state.maxUnavailable = claim.maxUnavailable;
      record.count({ total: claim.selected, skipped: claim.skipped });
      const skippedNote =
        claim.skipped > 0
          ? `; ${claim.skipped} skipped, e.g. ${claim.skippedSample
              .slice(0, 5)
              .map(s => `${s.target} (${s.reason})`)
              .join('; ')}`
          : '';
      const planChangeNote = claim.planChange ? `; ${claim.planChange}` : '';
      record.event(
        now(),
        'claimed',
        `${claim.claimed} of ${claim.selected} selected pod(s) held in ${claim.totalBatches} batch(es) of at most ${claim.maxUnavailable}${skippedNote}${planChangeNote}`,
      );
      failureBudget = budgetNow();
      if (record.state.phase !== 'Running') setPhase('Running');
    }

    if (!record.state.claimed) {
      const notBefore = spec.schedule?.notBefore
        ? Date.parse(spec.schedule.notBefore)
        : undefined;
      if (notBefore !== undefined && notBefore > Date.now()) {
        setPhase('Scheduled', `starts at ${new Date(notBefore).toISOString()}`);
        await wf.condition(interrupted, notBefore - Date.now());
        if (controls.abort) return 'abort';
      }
      // Rolling pacing without a canary starts pods while the claim is still holding later ones.
      const claimWithFirstWindow =
        rolling &&
        spec.strategy.canary === undefined &&
        wf.patched(CLAIM_WITH_FIRST_WINDOW);
      if (!claimWithFirstWindow) recordClaim(await acts.claimTargets(ref));
    }

    /** The next step: the claim with the first window, one strict batch, or a rolling window. */
    function nextStep(
      index: number,
    ): Promise<{ canary: boolean; lastFailure?: string }> {
      if (!record.state.claimed) return claimAndRunFirstWindow();
      const strictBatch =
        !rolling || (index === 0 && spec.strategy.canary !== undefined);
      return strictBatch ? runBatch(index) : runWindow(index);
    }

    /** Runs one batch strictly: patch it all, then wait for its slowest pod. */
    async function runBatch(
      index: number,
    ): Promise<{ canary: boolean; lastFailure?: string }> {
      const summary = record.startBatch(now(), index, 0, 'upgrade');
      patching = true;
      publish();
      const patched = await acts.patchBatch(ref, index).finally(() => {
        patching = false;
        publish();
      });
      summary.size = patched.patched + patched.skipped.length;
      summary.skipped = patched.skipped.length;
      recordSkips(patched.skipped);
      const outcome = await acts.awaitBatch(ref, index);
      summary.upgraded = outcome.upgraded;
      summary.failed = outcome.failed.length;
      summary.skipped += outcome.skipped.length;
      record.finishBatch(now(), summary);
      record.count({
        upgraded: outcome.upgraded,
        failed: outcome.failed.length,
      });
      recordSkips(outcome.skipped);
      recordFailures(outcome.failed);
      record.state.nextBatch = index + 1;
      record.event(
        now(),
        'batch',
        `batch ${index + 1}/${record.state.totalBatches}: ${outcome.upgraded} upgraded, ${outcome.failed.length} failed`,
      );
      publish();
      // Batches patched before the plan recorded its canary flag report none: the canary was batch 0 then.
      return {
        canary: patched.canary ?? index === 0,
        lastFailure: outcome.failed[0]?.reason,
      };
    }

    /** Runs batches from `index` as one rolling window until it is done or a control or the failure budget stops it. */
    async function runWindow(
      index: number,
    ): Promise<{ canary: boolean; lastFailure?: string }> {
      const window =
        record.state.rollingWindow?.fromBatch === index
          ? record.state.rollingWindow
          : {
              fromBatch: index,
              toBatch: Math.min(
                record.state.totalBatches,
                index + WINDOW_BATCHES,
              ),
              counted: { upgraded: 0, failed: 0, skipped: 0 },
            };
      record.state.rollingWindow = window;
      const summary = record.startBatch(
        now(),
        window.fromBatch,
        0,
        'upgrade',
        window.toBatch - 1,
      );
      // After a resume past the budget, the window goes on until its next failure, as a batch would.
      const failedBefore =
        record.failuresAgainstBudget() - window.counted.failed;
      const windowBudget = Math.max(
        failureBudget - failedBefore,
        window.counted.failed,
      );
      patching = true;
      publish();
      const outcome = await rollWindow({
        fromBatch: window.fromBatch,
        toBatch: window.toBatch,
        maxUnavailable: Math.max(1, record.state.maxUnavailable),
        failureBudget: windowBudget,
      }).finally(() => {
        patching = false;
        publish();
      });
      return finishWindow(window, summary, outcome);
    }

    /** The claim with the first window behind it, as one activity; then both are recorded. */
    async function claimAndRunFirstWindow(): Promise<{
      canary: boolean;
      lastFailure?: string;
    }> {
      const started = now();
      if (record.state.phase !== 'Running') setPhase('Running');
      patching = true;
      publish();
      const { claim, window, outcome } = await cancellableOnControl(
        () => acts.claimAndRollFirstWindow(ref, WINDOW_BATCHES),
        recountFirstWindow,
      ).finally(() => {
        patching = false;
        publish();
      });
      recordClaim(claim);
      if (window.toBatch === 0) return { canary: false };
      const state: RollingWindowState = {
        fromBatch: 0,
        toBatch: window.toBatch,
        counted: { upgraded: 0, failed: 0, skipped: 0 },
      };
      record.state.rollingWindow = state;
      const summary = record.startBatch(
        started,
        0,
        0,
        'upgrade',
        window.toBatch - 1,
      );
      return finishWindow(state, summary, outcome);
    }

    /** Should the combined activity end cancelled: the claim again (it keeps what it already holds and changed) and the window's tally. */
    async function recountFirstWindow(): Promise<ClaimedFirstWindow> {
      const claim = await acts.claimTargets(ref);
      const window: RollWindow = {
        fromBatch: 0,
        toBatch: Math.min(claim.totalBatches, WINDOW_BATCHES),
        maxUnavailable: Math.max(1, claim.maxUnavailable),
        failureBudget: 0,
      };
      const outcome =
        window.toBatch > 0
          ? await acts.tallyBatches(ref, 0, window.toBatch)
          : NOTHING_ROLLED;
      return { claim, window, outcome };
    }

    /** Records what a window did and moves the campaign past it when it is done. */
    function finishWindow(
      window: RollingWindowState,
      summary: BatchSummary,
      outcome: RollOutcome,
    ): { canary: boolean; lastFailure?: string } {
      const delta = {
        upgraded: outcome.upgraded - window.counted.upgraded,
        failed: outcome.failedCount - window.counted.failed,
        skipped: outcome.skippedCount - window.counted.skipped,
      };
      window.counted = {
        upgraded: outcome.upgraded,
        failed: outcome.failedCount,
        skipped: outcome.skippedCount,
      };
      Object.assign(summary, delta, {
        size:
          outcome.upgraded +
          outcome.failedCount +
          outcome.skippedCount +
          outcome.pending,
      });
      record.finishBatch(now(), summary);
      record.count({ upgraded: delta.upgraded, failed: delta.failed });
      recordSkips(outcome.skipped, delta.skipped);
      recordFailures(
        outcome.failed.filter(
          f => !record.state.failures.some(known => known.pod === f.target),
        ),
      );
      if (outcome.stopped === 'done') {
        record.state.nextBatch = window.toBatch;
        record.state.rollingWindow = undefined;
      }
      const stopped =
        outcome.stopped === 'done'
          ? ''
          : `; stopped (${outcome.stopped === 'budget' ? 'failure budget' : 'control'}) with ${outcome.pending} not started`;
      record.event(
        now(),
        'batch',
        `batches ${window.fromBatch + 1}-${window.toBatch}/${record.state.totalBatches} rolling: ${delta.upgraded} upgraded, ${delta.failed} failed${stopped}`,
      );
      publish();
      return { canary: false, lastFailure: outcome.failed[0]?.reason };
    }

    /**
     * Runs rollBatches, cancelling it when a pause, abort or rollback arrives; the activity then
     * starts nothing new and waits for its in-flight pods. A cancelled activity that returns its
     * tally resolves here with it; should it end as cancelled instead, the tally is read from the pods.
     */
    function rollWindow(window: RollWindow): Promise<RollOutcome> {
      return cancellableOnControl(
        () => acts.rollBatches(ref, window),
        () => acts.tallyBatches(ref, window.fromBatch, window.toBatch),
      );
    }

    /** Runs `run`, cancelling it when a pause, abort or rollback arrives; `recount` answers if it then ends cancelled rather than with its result. */
    async function cancellableOnControl<T>(
      run: () => Promise<T>,
      recount: () => Promise<T>,
    ): Promise<T> {
      const scope = new wf.CancellationScope();
      const watcher = new wf.CancellationScope();
      watcher
        .run(() => wf.condition(() => controls.paused || interrupted()))
        .then(
          () => scope.cancel(),
          () => undefined,
        );
      try {
        return await scope.run(run);
      } catch (error) {
        if (
          !wf.isCancellation(error) ||
          wf.CancellationScope.current().consideredCancelled
        )
          throw error;
        return recount();
      } finally {
        watcher.cancel();
      }
    }

    /** Pauses the campaign on its own account, with the reason, as a pause signal would. */
    function pauseFor(reason: string): void {
      controls.paused = true;
      record.state.pausedReason = reason;
      record.event(now(), 'pause', reason, SYSTEM_ACTOR);
      publish();
    }

    /**
     * Runs the spec's metric gates over what the step from batch `index` upgraded, during its
     * bake; undefined when the campaign has none (or started before them) or an abort or
     * rollback is already in.
     */
    async function analyse(
      index: number,
    ): Promise<AnalysisRunSummary | undefined> {
      const metrics = spec.analysis?.metrics;
      if (
        !metrics ||
        record.state.totalBatches === 0 ||
        interrupted() ||
        !wf.patched(METRIC_GATES)
      )
        return undefined;
      const run = record.startAnalysis(
        now(),
        index,
        Math.max(index, record.state.nextBatch - 1),
        metrics.map(m => m.name),
      );
      publish();
      await runAnalysis(metrics, run, {
        measure: name => acts.measureMetric(ref, name),
        interrupted,
        progressed: publish,
      });
      record.finishAnalysis(now(), run);
      if (run.phase !== 'Running')
        record.event(
          now(),
          'analysis',
          describeAnalysisRun(run),
          run.phase === 'Successful' ? undefined : SYSTEM_ACTOR,
        );
      publish();
      return run;
    }

    while (
      !record.state.claimed ||
      record.state.nextBatch < record.state.totalBatches
    ) {
      if (!(await gate())) return controls.abort ? 'abort' : 'rollback';
      const stepIndex = record.state.nextBatch;
      const step = await nextStep(stepIndex);
      const bakeFrom = Date.now();
      const analysed = await analyse(stepIndex);
      if (analysed?.phase === 'Failed')
        step.lastFailure = describeAnalysisRun(analysed);

      if (record.failuresAgainstBudget() > failureBudget) {
        const failed = record.state.failedAnalyses
          ? `${record.state.counts.failed} pod(s) and ${record.state.failedAnalyses} analysis run(s) failed`
          : `${record.state.counts.failed} failed`;
        const reason = `failure budget exceeded: ${failed}, budget ${failureBudget}; last: ${step.lastFailure ?? 'see failures'}`;
        if (spec.strategy.onFailure === 'rollback') {
          controls.rollback = { reason, by: SYSTEM_ACTOR };
          return 'rollback';
        }
        pauseFor(reason);
      }
      if (analysed?.phase === 'Inconclusive') {
        pauseFor(
          `${describeAnalysisRun(analysed)}: check the metric and Prometheus, then resume to continue or roll back`,
        );
        // After the last batch too: the campaign completes only once someone resumes it.
        await wf.condition(() => !controls.paused || interrupted());
        if (interrupted()) return controls.abort ? 'abort' : 'rollback';
      }
      const canary = step.canary && spec.strategy.canary;
      if (
        canary &&
        canary.then === 'pause' &&
        record.state.nextBatch < record.state.totalBatches
      ) {
        pauseFor('canary batch finished: resume to continue with the fleet');
      }
      const bakeSeconds =
        canary && canary.then === 'bake'
          ? (canary.bakeSeconds ?? spec.strategy.bakeSeconds)
          : spec.strategy.bakeSeconds;
      // The analysis ran during the bake: wait only for what is left of it.
      const bakeLeftMs = bakeSeconds * 1000 - (Date.now() - bakeFrom);
      if (
        bakeLeftMs > 0 &&
        record.state.nextBatch < record.state.totalBatches
      ) {
        await wf.condition(interrupted, bakeLeftMs);
      }
      if (wf.workflowInfo().continueAsNewSuggested) {
        await wf.continueAsNew<typeof sidecarCampaign>({
          ...input,
          carried: { record: record.state, controls },
        });
      }
    }
    // A control that arrived during the last batch still decides how the campaign ends.
    if (interrupted()) return controls.abort ? 'abort' : 'rollback';
    const vanished = record.state.counts.pending;
    if (vanished > 0) {
      record.count({ skipped: vanished });
      record.event(
        now(),
        'skipped',
        `${vanished} held pod(s) were deleted or replaced before their batch started`,
      );
    }
    return 'completed';
  }

  /**
   * Ends the campaign the way its controls say. It is checked after every await, the last one
   * included, so a control that arrives while the holds are released is never lost: Temporal
   * delivers it before the workflow can complete.
   */
  async function finish(
    ending: 'completed' | 'abort' | 'rollback',
  ): Promise<void> {
    if (ending === 'abort') {
      await abort(controls.abort ?? {});
      return;
    }
    if (ending === 'rollback') {
      await rollBack(describeControl('rollback', controls.rollback ?? {}));
      return;
    }
    const left = await acts.releaseHolds(ref);
    if (interrupted()) {
      await finish(controls.abort ? 'abort' : 'rollback');
      return;
    }
    setPhase('Completed', `${left} pod(s) on ${spec.targetImage}`);
    const windowMs = spec.strategy.rollbackWindowSeconds * 1000;
    // A lane's rollback window is its campaign's: it waits for the campaign's word.
    if (parentId)
      await wf.condition(() => controls.rollback !== null || released);
    else if (windowMs > 0)
      await wf.condition(() => controls.rollback !== null, windowMs);
    if (controls.rollback)
      await rollBack(
        describeControl('rollback after completion', controls.rollback),
      );
  }

  try {
    await finish(await upgrade());
  } catch (error) {
    if (wf.isCancellation(error) || error instanceof wf.ContinueAsNew)
      throw error;
    let reason = String(error);
    if (error instanceof Error)
      reason =
        error.cause instanceof Error ? error.cause.message : error.message;
    setPhase('Failed', reason);
    await acts.releaseHolds(ref).catch(() => undefined);
  }
  return record.status(effectivePhase());
}
