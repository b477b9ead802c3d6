import { setTimeout as sleep } from 'node:timers/promises';
import {
  Client,
  WorkflowNotFoundError,
  type WorkflowExecutionDescription,
  type WorkflowExecutionInfo as FullExecutionInfo,
  type WorkflowHandle,
} from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  CAMPAIGN_MEMO_STATUS_KEY,
  CAMPAIGN_LANE_WORKFLOW_TYPE,
  CAMPAIGN_PHASES,
  CAMPAIGN_WORKFLOW_TYPE,
  isSettledPhase,
  noCounts,
  type CampaignListResponse,
  type CampaignPhase,
  type CampaignSignal,
  type CampaignSpec,
  type CampaignStatus,
  type CampaignSummary,
  type ControlSignalArgs,
  type FreezeWindow,
  type PlanFingerprint,
  type RecordedStatus,
  type ReportedActivity,
  type WaveLaneStatus,
  type WorkerPresence,
} from '@internal/plugin-sidecars-common';
import {
  abortSignal,
  approveSignal,
  CampaignSearchAttributes,
  freezesSignal,
  pauseSignal,
  resumeSignal,
  rollbackSignal,
  statusQuery,
  type CampaignInput,
} from '@internal/sidecar-workflows';
import type { TemporalSettings } from '../config';
import { reportedActivityOf, withReportedActivity } from './activityProgress';
import type { CampaignSnapshot } from './changeFeed';
import { newCampaignId } from './ids';
import {
  isDeadlineExceeded,
  isTemporalUnavailable,
  temporalCall,
} from './temporal';
import { absentWorker, lastPollOf } from './workerPresence';

/** What list and describe both report about an execution. */
type WorkflowExecutionInfo = Omit<FullExecutionInfo, 'raw'>;

const SIGNALS = {
  pause: pauseSignal,
  resume: resumeSignal,
  rollback: rollbackSignal,
  abort: abortSignal,
  approve: approveSignal,
} as const;
/** A worker that polls answers a query in milliseconds; past this the recorded status is shown instead. */
const QUERY_DEADLINE_MS = 700;
/** A worker's long polls come back at least this often, so a task queue silent for longer has no worker. */
const POLL_SILENCE_MS = 90_000;
/** A watch list slower than this is given up; the next one follows a second later. */
const WATCH_LIST_DEADLINE_MS = 5_000;
/** How long a control's answer waits for a polling worker to record it. */
const CONTROL_WAIT_MS = 3_000;

/**
 * The memo of a campaign workflow: what the backend records at start, so a campaign can be shown
 * even when no worker answers, and the status the workflow itself records as it goes.
 */
interface CampaignMemo {
  spec: CampaignSpec;
  container: string;
  targetImage: string;
  entityRef?: string;
  createdBy?: string;
  [CAMPAIGN_MEMO_STATUS_KEY]?: RecordedStatus;
}

/** A campaign as Temporal knows it: its execution, and the status of the workflow itself. */
export interface CampaignRecord {
  summary: CampaignSummary;
  status: CampaignStatus;
  /** Whether the workflow still runs and takes signals (also while Completed, during the rollback window). */
  open: boolean;
  /** `worker` when the workflow answered its status query, `recorded` when the status comes from its memo. */
  source: 'worker' | 'recorded';
  /** Set when no worker answered for a running campaign. */
  worker?: WorkerPresence;
}

/** What became of a control sent to a campaign. */
export type ControlOutcome =
  { outcome: 'applied' | 'queued' } | { outcome: 'ignored'; reason: string };

export interface ListFilter {
  phase?: CampaignPhase;
  entityRef?: string;
  container?: string;
  pageSize: number;
  nextPageToken?: string;
}

const isPhase = (value: unknown): value is CampaignPhase =>
  typeof value === 'string' &&
  (CAMPAIGN_PHASES as readonly string[]).includes(value);

function memoOf(info: WorkflowExecutionInfo): Partial<CampaignMemo> {
  return (info.memo ?? {}) as Partial<CampaignMemo>;
}

function summaryOf(
  info: WorkflowExecutionInfo,
  status?: CampaignStatus,
): CampaignSummary {
  const memo = memoOf(info);
  const attributes = info.typedSearchAttributes;
  const recordedPhase = attributes.get(CampaignSearchAttributes.phase);
  let phase: CampaignPhase =
    status?.phase ??
    memo.status?.phase ??
    (isPhase(recordedPhase) ? recordedPhase : 'Scheduled');
  // A workflow that was terminated or failed outside its own code never recorded a final phase.
  if (info.status.name !== 'RUNNING' && !isSettledPhase(phase))
    phase = 'Failed';
  const counts = status?.counts ?? memo.status?.counts;
  const entityRef =
    attributes.get(CampaignSearchAttributes.entityRef) ?? memo.entityRef;
  const createdBy =
    attributes.get(CampaignSearchAttributes.createdBy) ?? memo.createdBy;
  return {
    id: info.workflowId,
    phase,
    container:
      attributes.get(CampaignSearchAttributes.container) ??
      memo.container ??
      status?.spec.container ??
      '',
    targetImage:
      attributes.get(CampaignSearchAttributes.targetImage) ??
      memo.targetImage ??
      status?.spec.targetImage ??
      '',
    ...(entityRef ? { entityRef } : {}),
    ...(createdBy ? { createdBy } : {}),
    startedAt: info.startTime.toISOString(),
    ...(info.closeTime ? { closedAt: info.closeTime.toISOString() } : {}),
    ...(counts
      ? { counts: { ...counts, notStarted: counts.notStarted ?? 0 } }
      : {}),
  };
}

/** The status the workflow last recorded in its memo (before its first record: what the backend knows from the start). */
function recordedStatusOf(info: WorkflowExecutionInfo): CampaignStatus {
  const memo = memoOf(info);
  const recorded = memo.status;
  const started = info.startTime.toISOString();
  return {
    campaignId: info.workflowId,
    phase: recorded?.phase ?? 'Scheduled',
    spec: memo.spec as CampaignSpec,
    counts: { ...noCounts(), ...recorded?.counts },
    currentBatch: recorded?.currentBatch ?? null,
    totalBatches: recorded?.totalBatches ?? 0,
    batches: [],
    events: recorded?.events ?? [],
    failures: [],
    ...(recorded?.pausedReason ? { pausedReason: recorded.pausedReason } : {}),
    ...(recorded?.phaseReason ? { phaseReason: recorded.phaseReason } : {}),
    ...(recorded?.frozen ? { frozen: recorded.frozen } : {}),
    ...(recorded?.rollingWindow
      ? { rollingWindow: recorded.rollingWindow }
      : {}),
    startedAt: started,
    updatedAt: recorded?.updatedAt ?? started,
  };
}

/** A status for a closed campaign whose result is unavailable (e.g. it was terminated). */
function statusFromExecution(info: WorkflowExecutionInfo): CampaignStatus {
  const recorded = recordedStatusOf(info);
  const at = (info.closeTime ?? info.startTime).toISOString();
  const how = info.status.name.toLowerCase();
  return {
    ...recorded,
    phase: isSettledPhase(recorded.phase) ? recorded.phase : 'Failed',
    events: [
      ...recorded.events,
      {
        at,
        type: 'ended',
        message: `the workflow ended ${how} outside the campaign's control`,
      },
    ],
    phaseReason: `workflow ${how}`,
    updatedAt: at,
  };
}

const eventKey = (e: CampaignStatus['events'][number]) =>
  `${e.at}|${e.type}|${e.by ?? ''}|${e.message}`;

/** Campaign workflows in Temporal: start, list through visibility, read status, signal. */
export class CampaignService {
  constructor(
    private readonly client: Client,
    private readonly settings: TemporalSettings,
  ) {}

  temporalUiUrl(id: string): string {
    return `${this.settings.webUiUrl}/namespaces/${encodeURIComponent(this.settings.namespace)}/workflows/${encodeURIComponent(id)}`;
  }

  async start(
    spec: CampaignSpec,
    by: {
      createdBy: string;
      entityRef?: string;
      previewedPlan?: PlanFingerprint;
      /** The configured freezes of the campaign's scope: the workflow holds its batches while one is on. */
      freezes?: FreezeWindow[];
    },
  ): Promise<CampaignSummary> {
    const id = newCampaignId(spec);
    const input: CampaignInput = {
      spec,
      createdBy: by.createdBy,
      ...(by.entityRef ? { entityRef: by.entityRef } : {}),
      ...(by.previewedPlan ? { previewedPlan: by.previewedPlan } : {}),
      ...(by.freezes?.length ? { freezes: by.freezes } : {}),
    };
    const memo: CampaignMemo = {
      spec,
      container: spec.container,
      targetImage: spec.targetImage,
      createdBy: by.createdBy,
      ...(by.entityRef ? { entityRef: by.entityRef } : {}),
    };
    const attributes: SearchAttributePair[] = [
      { key: CampaignSearchAttributes.phase, value: 'Scheduled' },
      { key: CampaignSearchAttributes.container, value: spec.container },
      { key: CampaignSearchAttributes.targetImage, value: spec.targetImage },
      { key: CampaignSearchAttributes.createdBy, value: by.createdBy },
      ...(by.entityRef
        ? [{ key: CampaignSearchAttributes.entityRef, value: by.entityRef }]
        : []),
    ];
    const handle = await temporalCall('start the campaign', () =>
      this.client.workflow.start(CAMPAIGN_WORKFLOW_TYPE, {
        taskQueue: this.settings.taskQueue,
        workflowId: id,
        args: [input],
        memo: { ...memo },
        typedSearchAttributes: attributes,
      }),
    );
    const info = await temporalCall('read the new campaign', () =>
      handle.describe(),
    );
    return summaryOf(info);
  }

  async list(filter: ListFilter): Promise<CampaignListResponse> {
    const clauses = [
      `WorkflowType = '${CAMPAIGN_WORKFLOW_TYPE}'`,
      `TaskQueue = '${this.settings.taskQueue}'`,
    ];
    // Values were validated (phase enum, entity ref and container grammars), so they cannot contain quotes.
    if (filter.phase)
      clauses.push(
        `${CampaignSearchAttributes.phase.name} = '${filter.phase}'`,
      );
    if (filter.entityRef)
      clauses.push(
        `${CampaignSearchAttributes.entityRef.name} = '${filter.entityRef}'`,
      );
    if (filter.container)
      clauses.push(
        `${CampaignSearchAttributes.container.name} = '${filter.container}'`,
      );
    const response = await temporalCall('list campaigns', async () => {
      try {
        return await this.client.workflowService.listWorkflowExecutions({
          namespace: this.settings.namespace,
          query: clauses.join(' AND '),
          pageSize: filter.pageSize,
          nextPageToken: filter.nextPageToken
            ? Buffer.from(filter.nextPageToken, 'base64url')
            : undefined,
        });
      } catch (error) {
        // A token Temporal cannot decode answers INVALID_ARGUMENT (3) or, from some servers, UNKNOWN (2).
        if (
          [2, 3].includes((error as { code?: number }).code ?? 0) &&
          filter.nextPageToken
        ) {
          throw new InputError(
            'nextPageToken is not valid (it may have expired): list again from the first page',
          );
        }
        throw error;
      }
    });
    // Each row's phase and counts come from what the campaign recorded in visibility (no query per
    // row), and a running one's from its activity's heartbeat too.
    const items = await Promise.all(
      response.executions.map(async raw =>
        this.liveSummaryOf(
          await executionInfoFromRaw(
            raw,
            this.client.options.loadedDataConverter,
            raw,
            this.settings.namespace,
          ),
        ),
      ),
    );
    const token =
      response.nextPageToken && response.nextPageToken.length > 0
        ? Buffer.from(response.nextPageToken).toString('base64url')
        : undefined;
    const lastPoll = await temporalCall(
      'describe the campaign task queue',
      () =>
        lastPollOf(
          this.client,
          this.settings.namespace,
          this.settings.taskQueue,
        ),
    );
    const silent =
      lastPoll === undefined ||
      Date.now() - lastPoll.getTime() > POLL_SILENCE_MS;
    return {
      items,
      ...(token ? { nextPageToken: token } : {}),
      ...(silent
        ? { worker: absentWorker(this.settings.taskQueue, lastPoll) }
        : {}),
    };
  }

  /**
   * What a running workflow's activity last reported, read with one describe; undefined for a
   * workflow that is not running or has no activity, and when the describe fails (the recorded status stands).
   */
  private async progressOf(
    info: WorkflowExecutionInfo,
  ): Promise<ReportedActivity | undefined> {
    if (
      info.status.name !== 'RUNNING' ||
      memoOf(info).status?.phase !== 'Running'
    )
      return undefined;
    try {
      return await this.reportedActivity(
        await this.client.workflow.getHandle(info.workflowId).describe(),
      );
    } catch {
      return undefined;
    }
  }

  /** The summary with a running campaign's counts as its activity last reported them. */
  private async liveSummaryOf(
    info: WorkflowExecutionInfo,
  ): Promise<CampaignSummary> {
    const summary = summaryOf(info);
    const recorded = memoOf(info).status;
    const reported = await this.progressOf(info);
    if (!reported || !summary.counts || !recorded) return summary;
    const { counts } = withReportedActivity(
      {
        counts: summary.counts,
        totalBatches: recorded.totalBatches,
        rollingWindow: recorded.rollingWindow,
      },
      reported,
    );
    return { ...summary, counts };
  }

  /**
   * Every open campaign and every one closed within `closedWithinMs`, newest first, as visibility
   * records them (phase, counts and the memo's recorded status): one list call, no query per
   * campaign, and one describe per running one for its activity's progress.
   */
  async listWatched(
    closedWithinMs: number,
    limit: number,
  ): Promise<{ snapshots: CampaignSnapshot[]; truncated: boolean }> {
    const closedSince = new Date(Date.now() - closedWithinMs).toISOString();
    const response = await temporalCall('list campaigns', () =>
      this.client.withDeadline(Date.now() + WATCH_LIST_DEADLINE_MS, () =>
        this.client.workflowService.listWorkflowExecutions({
          namespace: this.settings.namespace,
          query: [
            `WorkflowType IN ('${CAMPAIGN_WORKFLOW_TYPE}', '${CAMPAIGN_LANE_WORKFLOW_TYPE}')`,
            `TaskQueue = '${this.settings.taskQueue}'`,
            `(ExecutionStatus = 'Running' OR CloseTime > '${closedSince}')`,
          ].join(' AND '),
          pageSize: limit,
        }),
      ),
    );
    const infos = await Promise.all(
      response.executions.map(raw =>
        executionInfoFromRaw(
          raw,
          this.client.options.loadedDataConverter,
          raw,
          this.settings.namespace,
        ),
      ),
    );
    // A running window's progress lives in its activity's heartbeat: one describe per running workflow.
    const progress = await Promise.all(
      infos.map(async info => (await this.progressOf(info))?.progress),
    );
    const lanesOf = new Map<string, CampaignSnapshot['lanes']>();
    infos.forEach((info, i) => {
      const parent = info.parentExecution?.workflowId;
      if (info.type !== CAMPAIGN_LANE_WORKFLOW_TYPE || !parent) return;
      const { id, phase, counts } = summaryOf(info);
      const lanes = lanesOf.get(parent) ?? [];
      lanes.push({
        id,
        phase,
        ...(counts ? { counts } : {}),
        ...(progress[i] ? { progress: progress[i] } : {}),
      });
      lanesOf.set(parent, lanes);
    });
    const snapshots = infos.flatMap((info, i) => {
      if (info.type !== CAMPAIGN_WORKFLOW_TYPE) return [];
      const recorded = memoOf(info)[CAMPAIGN_MEMO_STATUS_KEY];
      const lanes = lanesOf.get(info.workflowId);
      return [
        {
          summary: summaryOf(info),
          open: info.status.name === 'RUNNING',
          ...(recorded ? { recorded } : {}),
          ...(lanes ? { lanes } : {}),
          ...(progress[i] ? { progress: progress[i] } : {}),
        },
      ];
    });
    return {
      snapshots,
      truncated: (response.nextPageToken?.length ?? 0) > 0,
    };
  }

  /**
   * Sends each running campaign the freezes of its scope as configured now (`freezesOf` its spec),
   * so that a freeze added since it started holds it and one removed lets it go; returns how many
   * campaigns were sent them.
   */
  async sendFreezes(
    freezesOf: (spec: CampaignSpec) => FreezeWindow[],
  ): Promise<number> {
    const running = this.client.workflow.list({
      query: [
        `WorkflowType = '${CAMPAIGN_WORKFLOW_TYPE}'`,
        `TaskQueue = '${this.settings.taskQueue}'`,
        `ExecutionStatus = 'Running'`,
      ].join(' AND '),
    });
    let sent = 0;
    for await (const info of running) {
      const { spec } = memoOf(info);
      if (!spec) continue;
      await temporalCall('send a campaign its freezes', () =>
        this.client.workflow
          .getHandle(info.workflowId)
          .signal(freezesSignal, freezesOf(spec)),
      );
      sent++;
    }
    return sent;
  }

  /** The campaign's workflow (or, with `types`, another of those types), if there is one. */
  private async describe(
    id: string,
    types: readonly string[] = [CAMPAIGN_WORKFLOW_TYPE],
  ): Promise<
    { handle: WorkflowHandle; info: WorkflowExecutionDescription } | undefined
  > {
    const handle = this.client.workflow.getHandle(id);
    try {
      const info = await temporalCall('read the campaign', () =>
        handle.describe(),
      );
      return types.includes(info.type) ? { handle, info } : undefined;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  /** The live status, or undefined when no worker answered in time; an unreachable Temporal is a 503. */
  private async query(
    handle: WorkflowHandle,
  ): Promise<CampaignStatus | undefined> {
    try {
      return await this.client.withDeadline(
        Date.now() + QUERY_DEADLINE_MS,
        () => handle.query(statusQuery),
      );
    } catch (error) {
      // Temporal answers "no poller seen" (FAILED_PRECONDITION) or the deadline passes: the worker is away, not Temporal.
      if (isTemporalUnavailable(error) && !isDeadlineExceeded(error))
        return temporalCall('query the campaign status', () =>
          Promise.reject(error),
        );
      return undefined;
    }
  }

  /** What the workflow's running activity last reported, from a description of the workflow. */
  private reportedActivity(info: WorkflowExecutionDescription) {
    return reportedActivityOf(
      info.raw.pendingActivities,
      this.client.options.loadedDataConverter,
    );
  }

  private async statusOf(
    handle: WorkflowHandle,
    info: WorkflowExecutionDescription,
  ): Promise<Pick<CampaignRecord, 'status' | 'source' | 'worker'>> {
    if (info.status.name === 'COMPLETED') {
      return {
        status: await temporalCall(
          'read the campaign result',
          () => handle.result() as Promise<CampaignStatus>,
        ),
        source: 'worker',
      };
    }
    if (info.status.name !== 'RUNNING')
      return { status: statusFromExecution(info), source: 'recorded' };
    const [live, reported] = await Promise.all([
      this.query(handle),
      this.reportedActivity(info),
    ]);
    if (live)
      return { status: withReportedActivity(live, reported), source: 'worker' };
    const lastPoll = await temporalCall(
      'describe the campaign task queue',
      () =>
        lastPollOf(
          this.client,
          this.settings.namespace,
          this.settings.taskQueue,
        ),
    );
    return {
      status: withReportedActivity(recordedStatusOf(info), reported),
      source: 'recorded',
      worker: absentWorker(this.settings.taskQueue, lastPoll),
    };
  }

  /** Whether the workflow holding pods (a campaign, or a lane of a campaign in waves) still runs: its holds are live. */
  async isActive(id: string): Promise<boolean> {
    const found = await this.describe(id, [
      CAMPAIGN_WORKFLOW_TYPE,
      CAMPAIGN_LANE_WORKFLOW_TYPE,
    ]);
    return found?.info.status.name === 'RUNNING';
  }

  /** A lane as it stands now: its live (or last recorded) phase, counts and batch. */
  private async liveLane(lane: WaveLaneStatus): Promise<WaveLaneStatus> {
    if (lane.phase === undefined) return lane;
    const handle = this.client.workflow.getHandle(lane.campaignId);
    try {
      const info = await temporalCall('read a lane of the campaign', () =>
        handle.describe(),
      );
      const { status } = await this.statusOf(handle, info);
      return {
        ...lane,
        phase: status.phase,
        counts: status.counts,
        currentBatch: status.currentBatch,
        totalBatches: status.totalBatches,
        ...(status.phaseReason ? { phaseReason: status.phaseReason } : {}),
        ...(status.pausedReason ? { pausedReason: status.pausedReason } : {}),
      };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return lane;
      throw error;
    }
  }

  /** A waved campaign's status with each lane's live progress, and the campaign's counts as their sum. */
  private async withLiveLanes(status: CampaignStatus): Promise<CampaignStatus> {
    if (!status.waves) return status;
    const waves = await Promise.all(
      status.waves.map(async wave => ({
        ...wave,
        lanes: await Promise.all(wave.lanes.map(l => this.liveLane(l))),
      })),
    );
    const counts = { ...status.counts };
    for (const key of Object.keys(counts) as Array<keyof typeof counts>)
      counts[key] = waves
        .flatMap(wave => wave.lanes)
        .reduce((sum, lane) => sum + (lane.counts?.[key] ?? 0), 0);
    return { ...status, waves, counts };
  }

  async find(id: string): Promise<CampaignRecord | undefined> {
    const found = await this.describe(id);
    if (!found) return undefined;
    const own = await this.statusOf(found.handle, found.info);
    const known = { ...own, status: await this.withLiveLanes(own.status) };
    return {
      ...known,
      summary: summaryOf(found.info, known.status),
      open: found.info.status.name === 'RUNNING',
    };
  }

  async get(id: string): Promise<CampaignRecord> {
    const record = await this.find(id);
    if (!record)
      throw new NotFoundError(`there is no campaign ${JSON.stringify(id)}`);
    return record;
  }

  /**
   * Signals a control. Temporal records a signal durably whether or not a worker polls, so it is
   * never lost; when a worker answers, this waits (briefly) for the workflow's verdict in its audit trail.
   */
  async signal(
    current: CampaignRecord,
    action: CampaignSignal,
    args: ControlSignalArgs,
  ): Promise<ControlOutcome> {
    const handle = this.client.workflow.getHandle(current.summary.id);
    const before = new Set(current.status.events.map(eventKey));
    await temporalCall(`${action} the campaign`, () =>
      handle.signal(SIGNALS[action], args),
    );
    if (current.source !== 'worker') return { outcome: 'queued' };
    const deadline = Date.now() + CONTROL_WAIT_MS;
    while (Date.now() < deadline) {
      const status = await this.query(handle).catch(() => undefined);
      // No answer: the workflow has closed (e.g. after an abort) or its worker went away.
      if (!status) return { outcome: 'queued' };
      const verdict = status.events.find(
        e =>
          (e.type === action || e.type === 'ignored') &&
          e.by === args.by &&
          !before.has(eventKey(e)),
      );
      if (verdict?.type === 'ignored')
        return { outcome: 'ignored', reason: verdict.message };
      if (verdict) return { outcome: 'applied' };
      await sleep(100);
    }
    return { outcome: 'queued' };
  }
}
