import * as wf from '@temporalio/workflow';
import {
  CAMPAIGN_LANE_WORKFLOW_TYPE,
  CAMPAIGN_MEMO_STATUS_KEY,
  freezesInScope,
  laneSpecOf,
  laneWorkflowId,
  noCounts,
  SYSTEM_ACTOR,
  type CampaignCounts,
  type CampaignPhase,
  type CampaignSignal,
  type CampaignSpec,
  type CampaignStatus,
  type ControlSignalArgs,
  type FreezeWindow,
  type PauseCause,
  type WaveLaneStatus,
  type WaveStatus,
} from '@internal/plugin-sidecars-common/src/workflow';
import type { CampaignInput } from './campaign';
import { recordCampaignIdentity } from './campaign-identity';
import { CampaignRecord, newRecordState } from './campaign-record';
import { controlRefusal, noControls } from './controls';
import {
  abortSignal,
  approveSignal,
  freezesSignal,
  laneReleaseSignal,
  laneReportSignal,
  pauseSignal,
  resumeSignal,
  rollbackSignal,
  statusQuery,
  type LaneReport,
} from './definitions';
import { CampaignSearchAttributes } from './search-attributes';

/** Phases after which a lane does no more work (a Completed lane still waits for its release or a rollback). */
const LANE_ENDED: readonly CampaignPhase[] = [
  'RolledBack',
  'Failed',
  'Aborted',
];

/** How long a campaign that ended waits for its lanes' workflows to close. */
const LANE_CLOSE_WAIT = '2 minutes';

const now = () => new Date();
const describeControl = (verb: string, args: ControlSignalArgs) =>
  `${verb}${args.reason ? `: ${args.reason}` : ''}${args.by ? ` by ${args.by}` : ''}`;

function sumCounts(lanes: readonly WaveLaneStatus[]): CampaignCounts {
  const total = noCounts();
  for (const lane of lanes)
    for (const key of Object.keys(total) as Array<keyof CampaignCounts>)
      total[key] += lane.counts?.[key] ?? 0;
  return total;
}

/**
 * A campaign in ordered waves. Each wave runs one lane per cluster (a child workflow running the
 * wave's slice of the campaign), the clusters of a wave in parallel; a gate (bake, approval) waits
 * between waves. A lane that fails past its budget stops the later waves; a rollback undoes the
 * waves in reverse order. The campaign's history holds a few events per lane, never per pod.
 */
export async function wavedCampaign(
  input: CampaignInput,
): Promise<CampaignStatus> {
  const campaignId = wf.workflowInfo().workflowId;
  const spec = input.spec;
  const waveSpecs = spec.waves ?? [];
  const record = new CampaignRecord(newRecordState(campaignId, spec, now()));
  record.state.freezes = input.freezes ?? [];
  record.state.totalBatches = waveSpecs.length;
  const waves: WaveStatus[] = waveSpecs.map((wave, index) => ({
    name: wave.name,
    state: 'pending',
    ...(index > 0 && wave.gate
      ? {
          gate: {
            approval: wave.gate.approval ?? false,
            bakeSeconds: wave.gate.bakeSeconds ?? 0,
            state: 'pending',
          },
        }
      : {}),
    lanes: wave.clusters.map(cluster => ({
      cluster,
      campaignId: laneWorkflowId(campaignId, index, cluster),
    })),
  }));
  record.state.waves = waves;
  const lanes = new Map(
    waves.flatMap(wave => wave.lanes.map(lane => [lane.campaignId, lane])),
  );
  const controls = noControls();
  const interrupted = () =>
    controls.abort !== null || controls.rollback !== null;
  const startedLanes = () =>
    [...lanes.values()].filter(lane => lane.phase !== undefined);
  const workingLanes = () =>
    startedLanes().filter(
      lane => lane.phase !== 'Completed' && !LANE_ENDED.includes(lane.phase!),
    );
  const awaitingApproval = () =>
    waves.find(wave => wave.gate?.state === 'awaiting-approval');

  /** Why the campaign is paused, each cause once: a pause control, a gate waiting for approval, a paused lane. */
  let controlPauseReason: string | undefined;
  const pauseCauses = (): PauseCause[] => {
    if (record.state.phase !== 'Running') return [];
    const causes: PauseCause[] = [];
    if (controls.paused) causes.push('control');
    if (awaitingApproval()) causes.push('gate');
    if (workingLanes().some(lane => lane.phase === 'Paused'))
      causes.push('lane');
    return causes;
  };
  const effectivePhase = (): CampaignPhase =>
    pauseCauses().length > 0 ? 'Paused' : record.state.phase;
  const pausedReason = (): string | undefined => {
    const gated = awaitingApproval();
    if (gated)
      return `wave "${gated.name}" waits for approval: approve it to start it`;
    if (controls.paused) return controlPauseReason;
    const lane = workingLanes().find(l => l.phase === 'Paused');
    return lane
      ? `lane ${lane.cluster} paused: ${lane.pausedReason ?? 'see the lane'}`
      : undefined;
  };

  let publishedPhase: CampaignPhase | undefined;
  let publishedMemo: string | undefined;
  const publish = () => {
    record.state.pausedReason = pausedReason();
    record.state.pauseCauses = pauseCauses();
    record.state.counts = sumCounts([...lanes.values()]);
    const phase = effectivePhase();
    if (phase !== publishedPhase) {
      publishedPhase = phase;
      wf.upsertSearchAttributes({
        [CampaignSearchAttributes.phase.name]: [phase],
      });
    }
    const recorded = record.recordedStatus(phase);
    const serialized = JSON.stringify({ ...recorded, updatedAt: undefined });
    if (serialized === publishedMemo) return;
    publishedMemo = serialized;
    wf.upsertMemo({ [CAMPAIGN_MEMO_STATUS_KEY]: recorded });
  };
  const setPhase = (phase: CampaignPhase, reason?: string) => {
    record.setPhase(now(), phase, reason);
    publish();
  };

  /** Sends `signal` to the lanes; a lane that has already ended misses nothing it needs. */
  function tellLanes<A extends unknown[]>(
    targets: readonly WaveLaneStatus[],
    signal: wf.SignalDefinition<A>,
    ...args: A
  ): Promise<unknown> {
    return Promise.all(
      targets.map(lane =>
        wf
          .getExternalWorkflowHandle(lane.campaignId)
          .signal(signal, ...args)
          .catch(() => undefined),
      ),
    );
  }

  const FORWARDED = {
    pause: pauseSignal,
    resume: resumeSignal,
    abort: abortSignal,
  } as const;
  /** Why `action` does not apply now: approve needs a gate waiting for it, resume a pause (the campaign's or a lane's). */
  function refusalOf(action: CampaignSignal): string | undefined {
    const gated = awaitingApproval();
    if (action === 'approve')
      return gated && !interrupted()
        ? undefined
        : 'no wave gate waits for approval';
    if (action !== 'resume' || controls.paused || interrupted())
      return controlRefusal(action, controls, effectivePhase());
    if (workingLanes().some(lane => lane.phase === 'Paused')) return undefined;
    return gated
      ? `wave "${gated.name}" waits for approval: approve it instead`
      : 'the campaign is not paused';
  }
  const handleControl =
    (action: CampaignSignal) => (args: ControlSignalArgs) => {
      const refusal = refusalOf(action);
      if (refusal) {
        record.event(
          now(),
          'ignored',
          `${action} ignored: ${refusal}`,
          args.by,
        );
        publish();
        return;
      }
      if (action === 'approve') {
        const gate = awaitingApproval()!;
        gate.gate!.approvedBy = args.by;
        gate.gate!.approvedAt = now().toISOString();
        gate.gate!.state = 'passed';
        record.event(
          now(),
          'approve',
          describeControl(`wave "${gate.name}" approved`, args),
          args.by,
        );
      } else {
        if (action === 'pause') controls.paused = true;
        if (action === 'resume') controls.paused = false;
        if (action === 'abort') controls.abort = args;
        if (action === 'rollback') controls.rollback = args;
        if (action === 'pause')
          controlPauseReason = describeControl('paused', args);
        record.event(
          now(),
          action,
          describeControl(`${action} requested`, args),
          args.by,
        );
        if (action !== 'rollback')
          void tellLanes(workingLanes(), FORWARDED[action], args);
      }
      publish();
    };

  wf.setHandler(statusQuery, () => record.status(effectivePhase()));
  wf.setHandler(pauseSignal, handleControl('pause'));
  wf.setHandler(resumeSignal, handleControl('resume'));
  wf.setHandler(rollbackSignal, handleControl('rollback'));
  wf.setHandler(abortSignal, handleControl('abort'));
  wf.setHandler(approveSignal, handleControl('approve'));
  const laneSpecs = new Map<string, CampaignSpec>(
    waveSpecs.flatMap((wave, index) =>
      wave.clusters.map(cluster => [
        laneWorkflowId(campaignId, index, cluster),
        laneSpecOf(spec, wave, cluster),
      ]),
    ),
  );
  /** The campaign's freezes that hold `lane`: those of its cluster and selection. */
  const freezesOfLane = (lane: WaveLaneStatus): FreezeWindow[] =>
    freezesInScope(
      record.state.freezes ?? [],
      laneSpecs.get(lane.campaignId)!.selector,
    );
  wf.setHandler(freezesSignal, freezes => {
    record.state.freezes = freezes;
    for (const lane of workingLanes())
      void tellLanes([lane], freezesSignal, freezesOfLane(lane));
  });
  /** Lanes whose workflow has closed: a report that comes after is older than their result. */
  const finished = new Set<string>();
  wf.setHandler(laneReportSignal, (report: LaneReport) => {
    const lane = lanes.get(report.campaignId);
    if (!lane || finished.has(report.campaignId)) return;
    lane.phase = report.phase;
    lane.counts = report.counts;
    if (report.phase === 'Paused') lane.pausedReason = report.reason;
    else lane.phaseReason = report.reason;
    publish();
  });

  recordCampaignIdentity(
    record,
    input,
    `campaign for ${spec.container} → ${spec.targetImage} in ${waves.length} wave(s): ${waves.map(w => `${w.name} (${w.lanes.map(l => l.cluster).join(', ')})`).join(', then ')}`,
  );
  publish();

  /** Waits at the gate before wave `index`: its bake, then its approval. False when interrupted. */
  async function passGate(wave: WaveStatus): Promise<boolean> {
    const gate = wave.gate;
    if (!gate) return true;
    wave.state = 'gated';
    if (gate.bakeSeconds > 0) {
      gate.state = 'baking';
      gate.bakeUntil = new Date(
        Date.now() + gate.bakeSeconds * 1000,
      ).toISOString();
      record.event(
        now(),
        'gate',
        `baking ${gate.bakeSeconds} s before wave "${wave.name}"`,
      );
      publish();
      await wf.condition(interrupted, gate.bakeSeconds * 1000);
      if (interrupted()) return false;
    }
    if (gate.approval) {
      gate.state = 'awaiting-approval';
      record.event(
        now(),
        'gate',
        `wave "${wave.name}" waits for approval`,
        SYSTEM_ACTOR,
      );
      publish();
      await wf.condition(() => gate.state === 'passed' || interrupted());
      if (interrupted()) return false;
    }
    gate.state = 'passed';
    publish();
    return true;
  }

  /** Starts the lanes of `wave` and waits until each has completed or ended. */
  async function runWave(index: number): Promise<void> {
    const wave = waves[index]!;
    wave.state = 'running';
    setPhase('Running', `wave "${wave.name}" started`);
    await Promise.all(
      wave.lanes.map(async lane => {
        lane.phase = 'Scheduled';
        const laneSpec = laneSpecs.get(lane.campaignId)!;
        const freezes = freezesOfLane(lane);
        const child = await wf.startChild(CAMPAIGN_LANE_WORKFLOW_TYPE, {
          workflowId: lane.campaignId,
          args: [
            {
              spec: laneSpec,
              ...(input.createdBy ? { createdBy: input.createdBy } : {}),
              ...(input.entityRef ? { entityRef: input.entityRef } : {}),
              ...(freezes.length ? { freezes } : {}),
            } satisfies CampaignInput,
          ],
          memo: { spec: laneSpec },
        });
        // How a lane ended comes from its result: its last report may not leave before it closes.
        child.result().then(
          (result: CampaignStatus) => {
            finished.add(lane.campaignId);
            lane.phase = result.phase;
            lane.counts = result.counts;
            lane.phaseReason = result.phaseReason;
            publish();
          },
          (error: unknown) => {
            finished.add(lane.campaignId);
            lane.phase = 'Failed';
            lane.phaseReason = `the lane's workflow failed: ${String(error)}`;
            publish();
          },
        );
      }),
    );
    // A control that came while the lanes were starting reaches them now.
    if (controls.paused) void tellLanes(wave.lanes, pauseSignal, {});
    if (controls.abort) void tellLanes(wave.lanes, abortSignal, controls.abort);
    await wf.condition(
      () =>
        controls.rollback !== null ||
        wave.lanes.every(
          lane =>
            lane.phase === 'Completed' || LANE_ENDED.includes(lane.phase!),
        ),
    );
    const stopped = wave.lanes.filter(lane => lane.phase !== 'Completed');
    wave.state = stopped.length === 0 ? 'completed' : 'stopped';
    const summary = wave.lanes
      .map(lane => `${lane.cluster} ${lane.phase ?? 'not started'}`)
      .join(', ');
    record.event(now(), 'wave', `wave "${wave.name}": ${summary}`);
    record.state.nextBatch = index + 1;
    publish();
  }

  /** Rolls every started lane back, the last wave first, each wave's lanes in parallel. */
  async function rollBackWaves(reason: string): Promise<void> {
    setPhase('RollingBack', reason);
    for (const wave of [...waves].reverse()) {
      const targets = wave.lanes.filter(
        lane => lane.phase !== undefined && !LANE_ENDED.includes(lane.phase),
      );
      if (targets.length === 0) continue;
      wave.state = 'rolling-back';
      publish();
      await tellLanes(targets, rollbackSignal, {
        reason: `campaign rollback: ${reason}`,
        by: SYSTEM_ACTOR,
      });
      await wf.condition(() =>
        targets.every(lane => LANE_ENDED.includes(lane.phase!)),
      );
      wave.state = 'rolled-back';
      record.event(
        now(),
        'wave',
        `wave "${wave.name}" rolled back in ${targets.map(l => l.cluster).join(', ')}`,
      );
      publish();
    }
    setPhase('RolledBack', reason);
  }

  /** Waits for the lanes still working to end (after an abort), then releases the completed ones. */
  async function endLanes(): Promise<void> {
    await wf.condition(() => workingLanes().length === 0);
    await tellLanes(
      startedLanes().filter(lane => lane.phase === 'Completed'),
      laneReleaseSignal,
    );
  }

  /** Runs the waves; returns how the run ended. */
  async function upgrade(): Promise<
    | { ending: 'completed' }
    | { ending: 'abort' | 'rollback' | 'failed'; reason: string }
  > {
    const notBefore = spec.schedule?.notBefore
      ? Date.parse(spec.schedule.notBefore)
      : undefined;
    if (notBefore !== undefined && notBefore > Date.now()) {
      setPhase('Scheduled', `starts at ${new Date(notBefore).toISOString()}`);
      await wf.condition(interrupted, notBefore - Date.now());
    }
    for (let index = 0; index < waves.length; index++) {
      const wave = waves[index]!;
      const passed = await passGate(wave);
      if (passed && controls.paused)
        await wf.condition(() => !controls.paused || interrupted());
      if (!passed || interrupted()) break;
      await runWave(index);
      if (interrupted()) break;
      if (wave.state === 'stopped') {
        const lane = wave.lanes.find(l => l.phase !== 'Completed')!;
        const reason = `wave "${wave.name}" stopped in ${lane.cluster}: lane ${lane.phase}${lane.phaseReason ? ` (${lane.phaseReason})` : ''}; later waves not started`;
        return lane.phase === 'RolledBack' &&
          spec.strategy.onFailure === 'rollback'
          ? { ending: 'rollback', reason }
          : { ending: 'failed', reason };
      }
    }
    if (controls.abort)
      return {
        ending: 'abort',
        reason: describeControl('aborted', controls.abort),
      };
    if (controls.rollback)
      return {
        ending: 'rollback',
        reason: describeControl('rollback', controls.rollback),
      };
    return { ending: 'completed' };
  }

  const outcome = await upgrade();
  if (outcome.ending === 'rollback') {
    await rollBackWaves(outcome.reason);
  } else if (outcome.ending === 'abort' || outcome.ending === 'failed') {
    await endLanes();
    record.state.leftChanged = sumCounts(startedLanes()).upgraded;
    setPhase(
      outcome.ending === 'abort' ? 'Aborted' : 'Failed',
      `${outcome.reason}; ${record.state.leftChanged} pod(s) left on ${spec.targetImage}`,
    );
  } else {
    const upgraded = sumCounts(startedLanes()).upgraded;
    setPhase(
      'Completed',
      `${upgraded} pod(s) on ${spec.targetImage} in ${waves.length} wave(s)`,
    );
    const windowMs = spec.strategy.rollbackWindowSeconds * 1000;
    if (windowMs > 0)
      await wf.condition(() => controls.rollback !== null, windowMs);
    if (controls.rollback)
      await rollBackWaves(
        describeControl('rollback after completion', controls.rollback),
      );
    else await endLanes();
  }
  // Lanes close on their own once told how the campaign ended; closing first would terminate them
  // (parent close policy) and lose their results. One that never closes is terminated after a while.
  await wf.condition(
    () => startedLanes().every(lane => finished.has(lane.campaignId)),
    LANE_CLOSE_WAIT,
  );
  return record.status(effectivePhase());
}
