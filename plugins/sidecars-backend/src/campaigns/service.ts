import { setTimeout as sleep } from 'node:timers/promises';
import { Client, WorkflowNotFoundError, type WorkflowExecutionInfo as FullExecutionInfo, type WorkflowHandle } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  CAMPAIGN_PHASES,
  CAMPAIGN_WORKFLOW_TYPE,
  type CampaignListResponse,
  type CampaignPhase,
  type CampaignSignal,
  type CampaignSpec,
  type CampaignStatus,
  type CampaignSummary,
  type ControlSignalArgs,
} from '@internal/plugin-sidecars-common';
import { abortSignal, CampaignSearchAttributes, pauseSignal, resumeSignal, rollbackSignal, statusQuery, type CampaignInput } from '@internal/sidecar-workflows';
import type { TemporalSettings } from '../config';
import { newCampaignId } from './ids';
import { temporalCall } from './temporal';

/** What list and describe both report about an execution. */
type WorkflowExecutionInfo = Omit<FullExecutionInfo, 'raw'>;

const SIGNALS = { pause: pauseSignal, resume: resumeSignal, rollback: rollbackSignal, abort: abortSignal } as const;
const QUERY_DEADLINE_MS = 5_000;
const CONTROL_WAIT_MS = 5_000;

/** What the backend records on the workflow so a campaign can be shown even when no worker answers. */
interface CampaignMemo {
  spec: CampaignSpec;
  container: string;
  targetImage: string;
  entityRef?: string;
  createdBy?: string;
}

/** A campaign as Temporal knows it: its execution, and the status of the workflow itself. */
export interface CampaignRecord {
  summary: CampaignSummary;
  status: CampaignStatus;
  /** Whether the workflow still runs and takes signals (also while Completed, during the rollback window). */
  open: boolean;
}

export interface ListFilter {
  phase?: CampaignPhase;
  entityRef?: string;
  container?: string;
  pageSize: number;
  nextPageToken?: string;
}

const isPhase = (value: unknown): value is CampaignPhase => typeof value === 'string' && (CAMPAIGN_PHASES as readonly string[]).includes(value);
const SETTLED: readonly CampaignPhase[] = ['Completed', 'RolledBack', 'Failed', 'Aborted'];

function memoOf(info: WorkflowExecutionInfo): Partial<CampaignMemo> {
  return (info.memo ?? {}) as Partial<CampaignMemo>;
}

function summaryOf(info: WorkflowExecutionInfo, status?: CampaignStatus): CampaignSummary {
  const memo = memoOf(info);
  const attributes = info.typedSearchAttributes;
  const recorded = attributes.get(CampaignSearchAttributes.phase);
  let phase: CampaignPhase = status?.phase ?? (isPhase(recorded) ? recorded : 'Scheduled');
  // A workflow that was terminated or failed outside its own code never recorded a final phase.
  if (info.status.name !== 'RUNNING' && !SETTLED.includes(phase)) phase = 'Failed';
  const entityRef = attributes.get(CampaignSearchAttributes.entityRef) ?? memo.entityRef;
  const createdBy = attributes.get(CampaignSearchAttributes.createdBy) ?? memo.createdBy;
  return {
    id: info.workflowId,
    phase,
    container: attributes.get(CampaignSearchAttributes.container) ?? memo.container ?? status?.spec.container ?? '',
    targetImage: attributes.get(CampaignSearchAttributes.targetImage) ?? memo.targetImage ?? status?.spec.targetImage ?? '',
    ...(entityRef ? { entityRef } : {}),
    ...(createdBy ? { createdBy } : {}),
    startedAt: info.startTime.toISOString(),
    ...(info.closeTime ? { closedAt: info.closeTime.toISOString() } : {}),
    ...(status ? { counts: status.counts } : {}),
  };
}

/** A status for a closed campaign whose result and query are both unavailable (e.g. it was terminated). */
function statusFromExecution(info: WorkflowExecutionInfo): CampaignStatus {
  const memo = memoOf(info);
  const at = (info.closeTime ?? info.startTime).toISOString();
  return {
    campaignId: info.workflowId,
    phase: 'Failed',
    spec: memo.spec as CampaignSpec,
    counts: { total: 0, upgraded: 0, failed: 0, rolledBack: 0, skipped: 0, pending: 0 },
    currentBatch: null,
    totalBatches: 0,
    batches: [],
    events: [{ at, type: 'ended', message: `the workflow ended ${info.status.name.toLowerCase()} outside the campaign's control` }],
    failures: [],
    phaseReason: `workflow ${info.status.name.toLowerCase()}`,
    startedAt: info.startTime.toISOString(),
    updatedAt: at,
  };
}

const eventKey = (e: CampaignStatus['events'][number]) => `${e.at}|${e.type}|${e.by ?? ''}|${e.message}`;

/** Campaign workflows in Temporal: start, list through visibility, read status, signal. */
export class CampaignService {
  constructor(
    private readonly client: Client,
    private readonly settings: TemporalSettings,
  ) {}

  temporalUiUrl(id: string): string {
    return `${this.settings.webUiUrl}/namespaces/${encodeURIComponent(this.settings.namespace)}/workflows/${encodeURIComponent(id)}`;
  }

  async start(spec: CampaignSpec, by: { createdBy: string; entityRef?: string }): Promise<CampaignSummary> {
    const id = newCampaignId(spec);
    const input: CampaignInput = { spec, createdBy: by.createdBy, ...(by.entityRef ? { entityRef: by.entityRef } : {}) };
    const memo: CampaignMemo = { spec, container: spec.container, targetImage: spec.targetImage, createdBy: by.createdBy, ...(by.entityRef ? { entityRef: by.entityRef } : {}) };
    const attributes: SearchAttributePair[] = [
      { key: CampaignSearchAttributes.phase, value: 'Scheduled' },
      { key: CampaignSearchAttributes.container, value: spec.container },
      { key: CampaignSearchAttributes.targetImage, value: spec.targetImage },
      { key: CampaignSearchAttributes.createdBy, value: by.createdBy },
      ...(by.entityRef ? [{ key: CampaignSearchAttributes.entityRef, value: by.entityRef }] : []),
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
    const info = await temporalCall('read the new campaign', () => handle.describe());
    return summaryOf(info);
  }

  async list(filter: ListFilter): Promise<CampaignListResponse> {
    const clauses = [`WorkflowType = '${CAMPAIGN_WORKFLOW_TYPE}'`, `TaskQueue = '${this.settings.taskQueue}'`];
    // Values were validated (phase enum, entity ref and container grammars), so they cannot contain quotes.
    if (filter.phase) clauses.push(`${CampaignSearchAttributes.phase.name} = '${filter.phase}'`);
    if (filter.entityRef) clauses.push(`${CampaignSearchAttributes.entityRef.name} = '${filter.entityRef}'`);
    if (filter.container) clauses.push(`${CampaignSearchAttributes.container.name} = '${filter.container}'`);
    const response = await temporalCall('list campaigns', async () => {
      try {
        return await this.client.workflowService.listWorkflowExecutions({
          namespace: this.settings.namespace,
          query: clauses.join(' AND '),
          pageSize: filter.pageSize,
          nextPageToken: filter.nextPageToken ? Buffer.from(filter.nextPageToken, 'base64url') : undefined,
        });
      } catch (error) {
        // A token Temporal cannot decode answers INVALID_ARGUMENT (3) or, from some servers, UNKNOWN (2).
        if ([2, 3].includes((error as { code?: number }).code ?? 0) && filter.nextPageToken) {
          throw new InputError('nextPageToken is not valid (it may have expired): list again from the first page');
        }
        throw error;
      }
    });
    // One status query per row (a page is small) so the list can show each campaign's progress.
    const items = await Promise.all(
      response.executions.map(async raw => {
        const info = await executionInfoFromRaw(raw, this.client.options.loadedDataConverter, raw, this.settings.namespace);
        const status = await this.statusOf(this.client.workflow.getHandle(info.workflowId, info.runId), info).catch(() => undefined);
        return summaryOf(info, status);
      }),
    );
    const token = response.nextPageToken && response.nextPageToken.length > 0 ? Buffer.from(response.nextPageToken).toString('base64url') : undefined;
    return { items, ...(token ? { nextPageToken: token } : {}) };
  }

  private async describe(id: string): Promise<{ handle: WorkflowHandle; info: WorkflowExecutionInfo } | undefined> {
    const handle = this.client.workflow.getHandle(id);
    try {
      const info = await temporalCall('read the campaign', () => handle.describe());
      return info.type === CAMPAIGN_WORKFLOW_TYPE ? { handle, info } : undefined;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  private query(handle: WorkflowHandle): Promise<CampaignStatus> {
    return temporalCall('query the campaign status', () => this.client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.query(statusQuery)));
  }

  private async statusOf(handle: WorkflowHandle, info: WorkflowExecutionInfo): Promise<CampaignStatus> {
    if (info.status.name === 'RUNNING') return this.query(handle);
    if (info.status.name === 'COMPLETED') return temporalCall('read the campaign result', () => handle.result() as Promise<CampaignStatus>);
    return this.query(handle).catch(() => statusFromExecution(info));
  }

  /** Whether a campaign's workflow is still running (its pod holds are live). */
  async isActive(id: string): Promise<boolean> {
    const found = await this.describe(id);
    return found?.info.status.name === 'RUNNING';
  }

  async find(id: string): Promise<CampaignRecord | undefined> {
    const found = await this.describe(id);
    if (!found) return undefined;
    const status = await this.statusOf(found.handle, found.info);
    return { summary: summaryOf(found.info, status), status, open: found.info.status.name === 'RUNNING' };
  }

  async get(id: string): Promise<CampaignRecord> {
    const record = await this.find(id);
    if (!record) throw new NotFoundError(`there is no campaign ${JSON.stringify(id)}`);
    return record;
  }

  /** Signals a control and waits (briefly) until the workflow has recorded it in its audit trail. */
  async signal(id: string, action: CampaignSignal, args: ControlSignalArgs): Promise<void> {
    const handle = this.client.workflow.getHandle(id);
    const before = new Set((await this.query(handle)).events.map(eventKey));
    await temporalCall(`${action} the campaign`, () => handle.signal(SIGNALS[action], args));
    const deadline = Date.now() + CONTROL_WAIT_MS;
    while (Date.now() < deadline) {
      const status = await this.query(handle).catch(() => undefined);
      // No answer: the workflow has closed (e.g. after an abort) and the caller reads its result instead.
      if (!status) return;
      if (status.events.some(e => e.type === action && e.by === args.by && !before.has(eventKey(e)))) return;
      await sleep(100);
    }
  }
}
