import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
} from '@temporalio/client';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  CAMPAIGN_TEMPLATE_RUN_WORKFLOW_TYPE,
  TEMPLATE_SCHEDULE_PREFIX,
  type CampaignSpec,
  type CampaignTemplateAction,
  type CampaignTemplateRun,
  type CampaignTemplateRunInput,
  type FreezeWindow,
  type TargetImageFrom,
} from '@internal/plugin-sidecars-common';
import type { TemporalSettings } from '../config';
import { temporalCall } from './temporal';
import { latestRuns } from './templateRuns';

/** What a template's Schedule keeps in its memo. */
export interface TemplateDefinition {
  name: string;
  cron: string;
  timeZone: string;
  /** The resolved spec. */
  spec: CampaignSpec;
  targetImageFrom?: TargetImageFrom;
  entityRef?: string;
  createdBy: string;
}

/** A template as its Schedule stands now. */
export interface TemplateRecord extends TemplateDefinition {
  id: string;
  createdAt: string;
  paused: boolean;
  note?: string;
  nextRuns: string[];
  lastRuns: CampaignTemplateRun[];
}

const MEMO_KEY = 'template';
/** A run missed while Temporal was down is still taken this long after it was due. */
const CATCHUP_WINDOW = '10m';
/** How many due times a template shows. */
const NEXT_RUNS_SHOWN = 3;

const scheduleIdOf = (id: string) => `${TEMPLATE_SCHEDULE_PREFIX}${id}`;

const runInputOf = (
  id: string,
  template: TemplateDefinition,
  freezes: FreezeWindow[],
): CampaignTemplateRunInput => ({
  templateId: id,
  spec: template.spec,
  createdBy: template.createdBy,
  ...(template.entityRef ? { entityRef: template.entityRef } : {}),
  ...(freezes.length ? { freezes } : {}),
  ...(template.targetImageFrom
    ? { targetImageFrom: template.targetImageFrom }
    : {}),
});

/**
 * Recurring campaign templates, each a Temporal Schedule (`sidecar-template-<id>`) that starts the
 * campaignTemplateRun workflow on the campaigns' task queue; the template itself is the Schedule's memo.
 */
export class CampaignTemplateService {
  constructor(
    private readonly client: Client,
    private readonly settings: TemporalSettings,
  ) {}

  temporalUiUrl(id: string): string {
    return `${this.settings.webUiUrl}/namespaces/${encodeURIComponent(this.settings.namespace)}/schedules/${encodeURIComponent(scheduleIdOf(id))}`;
  }

  /** Creates the template's Schedule; a 409 when a template has its id already. */
  async create(
    id: string,
    template: TemplateDefinition,
    freezes: FreezeWindow[],
  ): Promise<TemplateRecord> {
    try {
      await temporalCall('create the template', () =>
        this.client.schedule.create({
          scheduleId: scheduleIdOf(id),
          spec: {
            cronExpressions: [template.cron],
            timezone: template.timeZone,
          },
          action: {
            type: 'startWorkflow',
            workflowType: CAMPAIGN_TEMPLATE_RUN_WORKFLOW_TYPE,
            taskQueue: this.settings.taskQueue,
            workflowId: scheduleIdOf(id),
            args: [runInputOf(id, template, freezes)],
          },
          // A run only starts its campaign and ends: skipping overlaps keeps a slow lookup from doubling up.
          policies: {
            overlap: ScheduleOverlapPolicy.SKIP,
            catchupWindow: CATCHUP_WINDOW,
          },
          memo: { [MEMO_KEY]: template },
          state: { note: `created by ${template.createdBy}` },
        }),
      );
    } catch (error) {
      if (error instanceof ScheduleAlreadyRunning)
        throw new ConflictError(
          `a template with id "${id}" exists already: choose another name, or delete that template first`,
        );
      throw error;
    }
    return this.get(id);
  }

  /** The templates on this backend's task queue, by name. */
  async list(): Promise<TemplateRecord[]> {
    const ids: string[] = [];
    await temporalCall('list the templates', async () => {
      for await (const summary of this.client.schedule.list()) {
        if (
          summary.scheduleId.startsWith(TEMPLATE_SCHEDULE_PREFIX) &&
          summary.action?.workflowType === CAMPAIGN_TEMPLATE_RUN_WORKFLOW_TYPE
        )
          ids.push(summary.scheduleId.slice(TEMPLATE_SCHEDULE_PREFIX.length));
      }
    });
    // The list is eventually consistent: describe each, and leave out one deleted meanwhile.
    const records = await Promise.all(ids.map(id => this.find(id)));
    return records
      .filter((r): r is TemplateRecord => r !== undefined)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(id: string): Promise<TemplateRecord> {
    const found = await this.find(id);
    if (!found)
      throw new NotFoundError(
        `there is no campaign template ${JSON.stringify(id)}: list them with GET /campaign-templates`,
      );
    return found;
  }

  async control(
    id: string,
    action: CampaignTemplateAction,
    by: string,
  ): Promise<TemplateRecord> {
    const handle = this.handle(id);
    await temporalCall(`${action} the template`, () => {
      if (action === 'pause') return handle.pause(`paused by ${by}`);
      if (action === 'unpause') return handle.unpause(`resumed by ${by}`);
      return handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
    });
    return this.get(id);
  }

  async delete(id: string): Promise<void> {
    await temporalCall('delete the template', () => this.handle(id).delete());
  }

  /**
   * Rewrites each template's run input with the freezes of its scope as configured now, so the
   * campaigns it starts from now on are held by them (freezes are read from config at startup only).
   */
  async refreshFreezes(
    freezesOf: (spec: CampaignSpec) => FreezeWindow[],
  ): Promise<number> {
    const templates = await this.list();
    for (const template of templates) {
      await temporalCall('update a template', () =>
        this.handle(template.id).update(previous => ({
          ...previous,
          action: {
            ...previous.action,
            args: [runInputOf(template.id, template, freezesOf(template.spec))],
          },
        })),
      );
    }
    return templates.length;
  }

  private handle(id: string): ScheduleHandle {
    return this.client.schedule.getHandle(scheduleIdOf(id));
  }

  private async describe(id: string): Promise<ScheduleDescription | undefined> {
    try {
      return await temporalCall('read the template', () =>
        this.handle(id).describe(),
      );
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) return undefined;
      throw error;
    }
  }

  private async find(id: string): Promise<TemplateRecord | undefined> {
    const description = await this.describe(id);
    const template = description?.memo?.[MEMO_KEY] as
      TemplateDefinition | undefined;
    if (
      !description ||
      !template ||
      description.action.taskQueue !== this.settings.taskQueue
    )
      return undefined;
    const { state, info } = description;
    return {
      ...template,
      id,
      createdAt: info.createdAt.toISOString(),
      paused: state.paused,
      ...(state.note ? { note: state.note } : {}),
      nextRuns: state.paused
        ? []
        : info.nextActionTimes
            .slice(0, NEXT_RUNS_SHOWN)
            .map(t => t.toISOString()),
      lastRuns: await temporalCall('read the template runs', () =>
        latestRuns(this.client, info.recentActions),
      ),
    };
  }
}
