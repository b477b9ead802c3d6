import * as wf from '@temporalio/workflow';
import {
  resolveCount,
  windowState,
  type CampaignPhase,
  type CampaignSpec,
  type CampaignStatus,
  type ControlSignalArgs,
} from '@internal/plugin-sidecars-common';
import type { CampaignActivities, CampaignRef, PodFailure, SkippedTarget } from './activity-contract';
import { CampaignRecord, newRecordState, type CampaignRecordState } from './campaign-record';
import { abortSignal, pauseSignal, resumeSignal, rollbackSignal, statusQuery } from './definitions';
import { CampaignSearchAttributes } from './search-attributes';

export interface CampaignInput {
  spec: CampaignSpec;
  createdBy?: string;
  entityRef?: string;
  /** State carried across continueAsNew; absent on the first run. */
  carried?: CarriedState;
}

interface Controls {
  paused: boolean;
  rollback: ControlSignalArgs | null;
  abort: ControlSignalArgs | null;
}

interface CarriedState {
  record: CampaignRecordState;
  controls: Controls;
}

const RETRY = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' } as const;

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
  return { claimTargets: quick.claimTargets, patchBatch: quick.patchBatch, releaseHolds: quick.releaseHolds, awaitBatch: health.awaitBatch, rollbackStep: health.rollbackStep };
}

const now = () => new Date();
const describeControl = (verb: string, args: ControlSignalArgs) => `${verb}${args.reason ? `: ${args.reason}` : ''}`;

/** A sidecar upgrade campaign: claim, batch by batch upgrade with health gates, rollback, abort. */
export async function sidecarCampaign(input: CampaignInput): Promise<CampaignStatus> {
  const campaignId = wf.workflowInfo().workflowId;
  const record = new CampaignRecord(input.carried?.record ?? newRecordState(campaignId, input.spec, now()));
  const controls: Controls = input.carried?.controls ?? { paused: false, rollback: null, abort: null };
  const spec = record.state.spec;
  const ref: CampaignRef = { campaignId, spec };
  const acts = activitiesFor(spec);
  let patching = false;

  const effectivePhase = (): CampaignPhase =>
    record.state.phase === 'Running' && controls.paused && !patching ? 'Paused' : record.state.phase;
  let publishedPhase: CampaignPhase | undefined;
  const publishPhase = () => {
    const phase = effectivePhase();
    if (phase === publishedPhase) return;
    publishedPhase = phase;
    wf.upsertSearchAttributes({ [CampaignSearchAttributes.phase.name]: [phase] });
  };
  const setPhase = (phase: CampaignPhase, reason?: string) => {
    record.setPhase(now(), phase, reason);
    publishPhase();
  };

  wf.setHandler(statusQuery, () => record.status(effectivePhase()));
  wf.setHandler(pauseSignal, args => {
    controls.paused = true;
    record.state.pausedReason = describeControl('paused', args);
    record.event(now(), 'pause', describeControl('pause requested', args), args.by);
    publishPhase();
  });
  wf.setHandler(resumeSignal, args => {
    controls.paused = false;
    record.state.pausedReason = undefined;
    record.event(now(), 'resume', describeControl('resumed', args), args.by);
    publishPhase();
  });
  wf.setHandler(rollbackSignal, args => {
    controls.rollback = args;
    record.event(now(), 'rollback', describeControl('rollback requested', args), args.by);
  });
  wf.setHandler(abortSignal, args => {
    controls.abort = args;
    record.event(now(), 'abort', describeControl('abort requested', args), args.by);
  });

  if (!input.carried) {
    wf.upsertSearchAttributes({
      [CampaignSearchAttributes.container.name]: [spec.container],
      [CampaignSearchAttributes.targetImage.name]: [spec.targetImage],
      ...(input.entityRef ? { [CampaignSearchAttributes.entityRef.name]: [input.entityRef] } : {}),
      ...(input.createdBy ? { [CampaignSearchAttributes.createdBy.name]: [input.createdBy] } : {}),
    });
    record.event(now(), 'created', `campaign for ${spec.container} → ${spec.targetImage}`, input.createdBy);
  }
  publishPhase();

  const interrupted = () => controls.abort !== null || controls.rollback !== null;

  /** Waits until a new batch may start; returns false when an abort or rollback interrupts. */
  async function gate(): Promise<boolean> {
    for (;;) {
      if (interrupted()) return false;
      if (controls.paused) {
        await wf.condition(() => !controls.paused || interrupted());
        continue;
      }
      const window = windowState(spec.schedule?.windows ?? [], now());
      if (!window.open) {
        const opens = window.opensAt ? `next window opens at ${window.opensAt.toISOString()}` : 'no maintenance window opens in the future';
        setPhase('Scheduled', `outside maintenance windows: ${opens}`);
        const waitMs = window.opensAt ? Math.max(1, window.opensAt.getTime() - Date.now()) : undefined;
        await (waitMs === undefined ? wf.condition(interrupted) : wf.condition(interrupted, waitMs));
        setPhase('Running', 'maintenance window open');
        continue;
      }
      return true;
    }
  }

  const recordSkips = (skipped: SkippedTarget[]) => {
    if (skipped.length === 0) return;
    record.count({ skipped: skipped.length });
    record.event(now(), 'skipped', `skipped ${skipped.length}: ${skipped.slice(0, 5).map(s => `${s.target} (${s.reason})`).join('; ')}`);
  };

  const recordFailures = (failed: PodFailure[]) => {
    if (failed.length === 0) return;
    record.failures(now(), failed);
    record.event(now(), 'failed', `${failed.length} failed and restored: ${failed.slice(0, 5).map(f => `${f.target}: ${f.reason}`).join('; ')}`);
  };

  async function rollBack(reason: string): Promise<void> {
    setPhase('RollingBack', reason);
    for (let step = 0; ; step++) {
      const summary = record.startBatch(now(), step, record.state.maxUnavailable, 'rollback');
      const result = await acts.rollbackStep(ref, Math.max(1, record.state.maxUnavailable));
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
    if (!record.state.claimed) {
      const notBefore = spec.schedule?.notBefore ? Date.parse(spec.schedule.notBefore) : undefined;
      if (notBefore !== undefined && notBefore > Date.now()) {
        setPhase('Scheduled', `starts at ${new Date(notBefore).toISOString()}`);
        await wf.condition(interrupted, notBefore - Date.now());
        if (controls.abort) return 'abort';
      }
      const claim = await acts.claimTargets(ref);
      record.state.claimed = true;
      record.state.totalBatches = claim.totalBatches;
      record.state.maxUnavailable = claim.maxUnavailable;
      record.count({ total: claim.selected, skipped: claim.skipped });
      record.event(
        now(),
        'claimed',
        `${claim.claimed} of ${claim.selected} selected pod(s) held in ${claim.totalBatches} batch(es) of at most ${claim.maxUnavailable}` +
          (claim.skipped > 0 ? `; ${claim.skipped} skipped, e.g. ${claim.skippedSample.slice(0, 5).map(s => `${s.target} (${s.reason})`).join('; ')}` : ''),
      );
      setPhase('Running');
    }
    const failureBudget = resolveCount(spec.strategy.failureBudget, record.state.counts.total - record.state.counts.skipped, 'down');

    while (record.state.nextBatch < record.state.totalBatches) {
      if (!(await gate())) return controls.abort ? 'abort' : 'rollback';
      const index = record.state.nextBatch;
      const summary = record.startBatch(now(), index, 0, 'upgrade');
      patching = true;
      publishPhase();
      const patched = await acts.patchBatch(ref, index).finally(() => {
        patching = false;
        publishPhase();
      });
      summary.size = patched.patched + patched.skipped.length;
      summary.skipped = patched.skipped.length;
      recordSkips(patched.skipped);
      const outcome = await acts.awaitBatch(ref, index);
      summary.upgraded = outcome.upgraded;
      summary.failed = outcome.failed.length;
      summary.skipped += outcome.skipped.length;
      record.finishBatch(now(), summary);
      record.count({ upgraded: outcome.upgraded, failed: outcome.failed.length });
      recordSkips(outcome.skipped);
      recordFailures(outcome.failed);
      record.state.nextBatch = index + 1;
      record.event(now(), 'batch', `batch ${index + 1}/${record.state.totalBatches}: ${outcome.upgraded} upgraded, ${outcome.failed.length} failed`);

      if (record.state.counts.failed > failureBudget) {
        const reason = `failure budget exceeded: ${record.state.counts.failed} failed, budget ${failureBudget}; last: ${outcome.failed[0]?.reason ?? 'see failures'}`;
        if (spec.strategy.onFailure === 'rollback') {
          controls.rollback = { reason, by: 'sidecar-campaigns' };
          return 'rollback';
        }
        controls.paused = true;
        record.state.pausedReason = reason;
        record.event(now(), 'pause', reason, 'sidecar-campaigns');
        publishPhase();
      }
      const canary = index === 0 && spec.strategy.canary;
      if (canary && canary.then === 'pause' && record.state.nextBatch < record.state.totalBatches) {
        controls.paused = true;
        record.state.pausedReason = 'canary batch finished: resume to continue with the fleet';
        record.event(now(), 'pause', record.state.pausedReason, 'sidecar-campaigns');
        publishPhase();
      }
      const bakeSeconds = canary && canary.then === 'bake' ? (canary.bakeSeconds ?? spec.strategy.bakeSeconds) : spec.strategy.bakeSeconds;
      if (bakeSeconds > 0 && record.state.nextBatch < record.state.totalBatches) {
        await wf.condition(interrupted, bakeSeconds * 1000);
      }
      if (wf.workflowInfo().continueAsNewSuggested) {
        await wf.continueAsNew<typeof sidecarCampaign>({ ...input, carried: { record: record.state, controls } });
      }
    }
    const vanished = record.state.counts.pending;
    if (vanished > 0) {
      record.count({ skipped: vanished });
      record.event(now(), 'skipped', `${vanished} held pod(s) were deleted or replaced before their batch started`);
    }
    return 'completed';
  }

  try {
    const ending = await upgrade();
    if (ending === 'abort') await abort(controls.abort ?? {});
    else if (ending === 'rollback') await rollBack(describeControl('rollback', controls.rollback ?? {}));
    else {
      const left = await acts.releaseHolds(ref);
      setPhase('Completed', `${left} pod(s) on ${spec.targetImage}`);
      const windowMs = spec.strategy.rollbackWindowSeconds * 1000;
      if (windowMs > 0 && (await wf.condition(() => controls.rollback !== null, windowMs))) {
        await rollBack(describeControl('rollback after completion', controls.rollback ?? {}));
      }
    }
  } catch (error) {
    if (wf.isCancellation(error) || error instanceof wf.ContinueAsNew) throw error;
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    setPhase('Failed', reason);
    await acts.releaseHolds(ref).catch(() => undefined);
  }
  return record.status(effectivePhase());
}
