import { Context } from '@temporalio/activity';
import type { ActivityProgress } from '@internal/plugin-sidecars-common';

/** Heartbeats the activity's progress in the shape the backend reads back from Temporal to show it. */
export function heartbeatProgress(progress: ActivityProgress): void {
  Context.current().heartbeat(progress);
}
