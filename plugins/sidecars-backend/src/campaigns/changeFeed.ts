import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ActivityProgress,
  CampaignSummary,
  RecordedStatus,
} from '@internal/plugin-sidecars-common';

/** A campaign as one visibility list shows it. */
export interface CampaignSnapshot {
  summary: CampaignSummary;
  /** Whether the workflow still runs (a Completed one does during its rollback window). */
  open: boolean;
  /** The bounded status the workflow last recorded in its memo. */
  recorded?: RecordedStatus;
  /** A campaign in waves: each running lane's phase, counts and progress, so a lane's progress is a change of its campaign. */
  lanes?: Array<
    Pick<CampaignSummary, 'id' | 'phase' | 'counts'> & {
      progress?: ActivityProgress;
    }
  >;
  /** What its running activity last reported (a rolling window's pods by state), which the memo records only when the window ends. */
  progress?: ActivityProgress;
}

/** A campaign whose snapshot differs from the previous list's; `previous` is absent for a campaign seen for the first time. */
export interface CampaignChange {
  current: CampaignSnapshot;
  previous?: CampaignSnapshot;
}

/** Told of each change, in order; a slow listener holds up neither the lists nor the other listeners. */
export type CampaignChangeListener = (change: CampaignChange) => Promise<void>;

/** One list of the campaigns worth watching: the open ones and those closed a moment ago. */
export type ListWatchedCampaigns = () => Promise<{
  snapshots: CampaignSnapshot[];
  truncated: boolean;
}>;

export interface CampaignChangeFeedOptions {
  listWatched: ListWatchedCampaigns;
  listeners: CampaignChangeListener[];
  logger: LoggerService;
  /** Pause between the end of one list and the start of the next. Default 1000. */
  intervalMs?: number;
}

const DEFAULT_INTERVAL_MS = 1_000;

/** What must differ for a change: the phase as visibility reports it, whether it still runs, its recorded status, its progress and its lanes'. */
const digestOf = (snapshot: CampaignSnapshot) =>
  JSON.stringify([
    snapshot.summary.phase,
    snapshot.open,
    snapshot.recorded,
    snapshot.lanes,
    snapshot.progress,
  ]);

/**
 * Watches campaigns through Temporal visibility: lists the open and recently closed campaigns every
 * interval and tells its listeners of each campaign whose phase or recorded status changed since
 * the last list. The first list only sets the baseline, so a backend restart repeats nothing. It
 * remembers only what the last list returned, so its memory follows the number of watched campaigns.
 */
export class CampaignChangeFeed {
  private digests?: Map<string, { digest: string; snapshot: CampaignSnapshot }>;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private running = false;
  private failing = false;
  private warnedTruncated = false;
  private readonly intervalMs: number;
  /** Per listener, the delivery of the last change it was given: each listener is told one change at a time. */
  private readonly deliveries: Array<{
    listener: CampaignChangeListener;
    delivered: Promise<void>;
  }>;

  constructor(private readonly options: CampaignChangeFeedOptions) {
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.deliveries = options.listeners.map(listener => ({
      listener,
      delivered: Promise.resolve(),
    }));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops listing; resolves once a list in flight has returned, so its connection may be closed. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.polling;
  }

  /** Lists once and hands what changed to the listeners (see `delivered`); returns the changes. */
  async poll(): Promise<CampaignChange[]> {
    const { snapshots, truncated } = await this.options.listWatched();
    if (truncated && !this.warnedTruncated) {
      this.warnedTruncated = true;
      this.options.logger.warn(
        `sidecars: more campaigns are open or recently closed than the change feed lists at once; only the newest ${snapshots.length} get live updates and notifications`,
      );
    }
    const next = new Map(
      snapshots.map(snapshot => [
        snapshot.summary.id,
        { digest: digestOf(snapshot), snapshot },
      ]),
    );
    const previous = this.digests;
    this.digests = next;
    if (!previous) return [];
    const changes: CampaignChange[] = [];
    for (const [id, { digest, snapshot }] of next) {
      const before = previous.get(id);
      if (before?.digest === digest) continue;
      changes.push({
        current: snapshot,
        ...(before ? { previous: before.snapshot } : {}),
      });
    }
    for (const change of changes) this.tell(change);
    return changes;
  }

  /** Resolves once every listener has been told of every change handed to it so far. */
  async delivered(): Promise<void> {
    await Promise.all(this.deliveries.map(delivery => delivery.delivered));
  }

  private tell(change: CampaignChange): void {
    for (const delivery of this.deliveries)
      delivery.delivered = delivery.delivered
        .then(() => delivery.listener(change))
        .catch(error =>
          this.options.logger.warn(
            `sidecars: a listener of campaign ${change.current.summary.id}'s change failed: ${String(error)}`,
          ),
        );
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.polling = this.pollAndReschedule();
    }, delayMs);
    this.timer.unref();
  }

  private async pollAndReschedule(): Promise<void> {
    try {
      await this.poll();
      if (this.failing)
        this.options.logger.info('sidecars: the change feed lists again');
      this.failing = false;
    } catch (error) {
      // Said once per outage: Temporal being away is already reported by the API's 503s.
      if (!this.failing)
        this.options.logger.warn(
          `sidecars: the change feed could not list campaigns: ${String(error)}`,
        );
      this.failing = true;
    }
    if (this.running) this.schedule(this.intervalMs);
  }
}
