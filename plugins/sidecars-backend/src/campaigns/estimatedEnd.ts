import type {
  CampaignCounts,
  CampaignPhase,
} from '@internal/plugin-sidecars-common';

export interface EndEstimate {
  estimatedEnd: string | null;
  /** How the end was reckoned, or why there is none. */
  estimate: string;
}

export interface Progress {
  phase: CampaignPhase;
  counts?: CampaignCounts;
  /** When its work began: its first batch, or the later of its start and notBefore. */
  workStart: Date;
}

const MINUTE_MS = 60_000;

/** "3 h 20 min", "45 min", "under a minute". */
export function describeDuration(ms: number): string {
  const minutes = Math.floor(ms / MINUTE_MS);
  if (minutes < 1) return 'under a minute';
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${minutes} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

const none = (estimate: string): EndEstimate => ({
  estimatedEnd: null,
  estimate,
});

/**
 * When a running campaign should end if it keeps the pace it has had: elapsed × total / done,
 * counting upgraded, failed and skipped pods as done. Time spent waiting for windows or through
 * freezes counts as elapsed, so the pace it gives is a rough one.
 */
export function estimateEnd(progress: Progress, now: Date): EndEstimate {
  const { phase, counts, workStart } = progress;
  if (phase === 'Scheduled')
    return none('not started yet: its end depends on the pace it will have');
  if (phase === 'Paused')
    return none('paused: it makes no progress until it is resumed');
  if (phase === 'RollingBack')
    return none('rolling back: it upgrades no more pods');
  if (phase !== 'Running') return none(`${phase}: it upgrades no more pods`);
  if (!counts || counts.total === 0)
    return none('it has not counted its pods yet');
  const done = counts.upgraded + counts.failed + counts.skipped;
  const elapsed = Math.max(0, now.getTime() - workStart.getTime());
  if (done === 0)
    return none(
      `no pod of ${counts.total} is done yet after ${describeDuration(elapsed)}, so there is no pace to go by`,
    );
  if (done >= counts.total)
    return {
      estimatedEnd: now.toISOString(),
      estimate: `all ${counts.total} pods are done: it is finishing`,
    };
  const end = workStart.getTime() + (elapsed * counts.total) / done;
  return {
    estimatedEnd: new Date(end).toISOString(),
    estimate: `${done} of ${counts.total} pods done in ${describeDuration(elapsed)}; the rest at the same pace (waits for windows and freezes included)`,
  };
}
