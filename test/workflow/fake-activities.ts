import { ApplicationFailure } from '@temporalio/client';
import type { Measurement } from '@internal/plugin-sidecars-common';
import type {
  BatchOutcome,
  CampaignActivities,
  CampaignRef,
  ClaimResult,
  PatchBatchResult,
  RollbackStepResult,
} from '@internal/sidecar-workflows';

/** A point in an activity that the test holds until it has done what it must do meanwhile. */
export interface Hold {
  /** Resolves once the activity has reached the hold. */
  entered: Promise<void>;
  release(): void;
}

function newHold(): Hold & { reached(): void; released: Promise<void> } {
  let reached!: () => void;
  let release!: () => void;
  const entered = new Promise<void>(resolve => (reached = resolve));
  const released = new Promise<void>(resolve => (release = resolve));
  return { entered, reached, release, released };
}

interface FakeCampaign {
  batches: number;
  patched: number;
  /** Pods on the target image, one per batch. */
  upgraded: number;
  batchHolds: Map<number, ReturnType<typeof newHold>>;
  /** Batches whose pod fails its health check, with the reason. */
  failingBatches: Map<number, string>;
  releaseHold?: ReturnType<typeof newHold>;
  /** What the next measurements find, in order (a string: the measurement's activity fails with it); then Successful. */
  measurements: Array<Measurement | string>;
  measured: number;
}

/**
 * Activities that honour the activity contract without a cluster: one pod per batch, every patch
 * healthy. Tests hold a batch's health wait or the release of holds open to act at that moment.
 */
export class FakeCampaignActivities {
  private readonly campaigns = new Map<string, FakeCampaign>();

  /** @param lanesBatches batches of a campaign not planned before it runs (e.g. a lane its campaign started); none when absent. */
  constructor(private readonly lanesBatches?: number) {}

  plan(campaignId: string, batches: number): void {
    this.campaigns.set(campaignId, {
      batches,
      patched: 0,
      upgraded: 0,
      batchHolds: new Map(),
      failingBatches: new Map(),
      measurements: [],
      measured: 0,
    });
  }

  /** Makes the pod of the campaign's batch fail its health check with `reason`. */
  failBatch(campaignId: string, batch: number, reason: string): void {
    this.campaign(campaignId).failingBatches.set(batch, reason);
  }

  /** Pods the campaign has on the target image now. */
  upgradedPods(campaignId: string): number {
    return this.campaign(campaignId).upgraded;
  }

  /** Scripts what the campaign's next measurements find. */
  measure(
    campaignId: string,
    ...measurements: Array<Measurement | string>
  ): void {
    this.campaign(campaignId).measurements.push(...measurements);
  }

  measuredCount(campaignId: string): number {
    return this.campaign(campaignId).measured;
  }

  holdBatch(campaignId: string, batch: number): Hold {
    const hold = newHold();
    this.campaign(campaignId).batchHolds.set(batch, hold);
    return hold;
  }

  holdRelease(campaignId: string): Hold {
    const hold = newHold();
    this.campaign(campaignId).releaseHold = hold;
    return hold;
  }

  patchedBatches(campaignId: string): number {
    return this.campaign(campaignId).patched;
  }

  activities(): CampaignActivities {
    return {
      claimTargets: async (ref: CampaignRef): Promise<ClaimResult> => {
        const { batches } = this.campaign(ref.campaignId);
        return {
          selected: batches,
          selectedPods: batches,
          claimed: batches,
          totalBatches: batches,
          maxUnavailable: 1,
          skipped: 0,
          skippedSample: [],
        };
      },
      patchBatch: async (
        ref: CampaignRef,
        batch: number,
      ): Promise<PatchBatchResult> => {
        this.campaign(ref.campaignId).patched += 1;
        return {
          patched: 1,
          skipped: [],
          canary: batch === 0 && ref.spec.strategy.canary !== undefined,
        };
      },
      awaitBatch: async (
        ref: CampaignRef,
        batch: number,
      ): Promise<BatchOutcome> => {
        const campaign = this.campaign(ref.campaignId);
        const hold = campaign.batchHolds.get(batch);
        if (hold) {
          hold.reached();
          await hold.released;
        }
        const failure = campaign.failingBatches.get(batch);
        if (failure !== undefined)
          return {
            upgraded: 0,
            failed: [{ target: `fake/pod-${batch}`, reason: failure }],
            skipped: [],
            unavailableLeft: 0,
          };
        campaign.upgraded += 1;
        return { upgraded: 1, failed: [], skipped: [], unavailableLeft: 0 };
      },
      rollBatches: async () => {
        throw new Error('the control tests run their campaigns in batches');
      },
      tallyBatches: async () => {
        throw new Error('the control tests run their campaigns in batches');
      },
      claimAndRollFirstWindow: async () => {
        throw new Error('the control tests run their campaigns in batches');
      },
      rollbackStep: async (
        ref: CampaignRef,
        maxUnavailable: number,
      ): Promise<RollbackStepResult> => {
        const campaign = this.campaign(ref.campaignId);
        const restored = Math.min(campaign.upgraded, maxUnavailable);
        campaign.upgraded -= restored;
        return { restored, failed: [], unavailableLeft: 0 };
      },
      releaseHolds: async (ref: CampaignRef): Promise<number> => {
        const campaign = this.campaign(ref.campaignId);
        const hold = campaign.releaseHold;
        if (hold) {
          campaign.releaseHold = undefined;
          hold.reached();
          await hold.released;
        }
        return campaign.upgraded;
      },
      measureMetric: async (ref: CampaignRef): Promise<Measurement> => {
        const campaign = this.campaign(ref.campaignId);
        campaign.measured += 1;
        const next = campaign.measurements.shift() ?? {
          phase: 'Successful',
          value: '[1]',
        };
        if (typeof next === 'string')
          throw ApplicationFailure.nonRetryable(next, 'PrometheusUnavailable');
        return next;
      },
    };
  }

  private campaign(campaignId: string): FakeCampaign {
    if (!this.campaigns.has(campaignId) && this.lanesBatches !== undefined)
      this.plan(campaignId, this.lanesBatches);
    const campaign = this.campaigns.get(campaignId);
    if (!campaign)
      throw new Error(
        `no fake campaign ${campaignId}: call plan() before starting it`,
      );
    return campaign;
  }
}
