import { Context } from '@temporalio/activity';
import type { ActivityProgress } from '@internal/plugin-sidecars-common';

/** Heartbeats the activity's progress in the shape the backend reads back from Temporal to show it. */
export function heartbeatProgress(progress: ActivityProgress): void {
  Context.current().heartbeat(progress);
}

/** Keeps an activity that has no progress to show alive through a long list (a heartbeat without details). */
export function heartbeatListing(): void {
  Context.current().heartbeat();
}
