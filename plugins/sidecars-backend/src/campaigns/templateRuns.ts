import {
  WorkflowFailedError,
  WorkflowNotFoundError,
  type Client,
  type ScheduleExecutionResult,
} from '@temporalio/client';
import type {
  CampaignTemplateRun,
  CampaignTemplateRunResult,
} from '@internal/plugin-sidecars-common';

/** How many of a template's latest runs a list shows. */
export const RUNS_SHOWN = 5;

/** The innermost message of a failure: an activity's own, not "Activity task failed". */
function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error)
    current = current.cause;
  return current instanceof Error ? current.message : String(error);
}

/** What became of one run: its launcher workflow's state, and its result once it has one. */
export async function templateRun(
  client: Client,
  action: ScheduleExecutionResult,
): Promise<CampaignTemplateRun> {
  const { workflowId } = action.action.workflow;
  const base = { workflowId, scheduledAt: action.scheduledAt.toISOString() };
  const handle = client.workflow.getHandle(
    workflowId,
    action.action.workflow.firstExecutionRunId,
  );
  try {
    const info = await handle.describe();
    if (info.status.name === 'RUNNING') return { ...base, outcome: 'starting' };
    const result = (await handle.result()) as CampaignTemplateRunResult;
    return 'campaignId' in result
      ? { ...base, outcome: 'started', ...result }
      : {
          ...base,
          outcome: 'skipped',
          targetImage: result.targetImage,
          message: result.skipped,
        };
  } catch (error) {
    if (error instanceof WorkflowFailedError)
      return { ...base, outcome: 'failed', message: rootMessage(error) };
    if (error instanceof WorkflowNotFoundError)
      return {
        ...base,
        outcome: 'failed',
        message: 'Temporal no longer keeps this run (past its retention)',
      };
    throw error;
  }
}

/** The latest runs of a Schedule, newest first. */
export function latestRuns(
  client: Client,
  recent: readonly ScheduleExecutionResult[],
): Promise<CampaignTemplateRun[]> {
  return Promise.all(
    [...recent]
      .reverse()
      .slice(0, RUNS_SHOWN)
      .map(action => templateRun(client, action)),
  );
}
