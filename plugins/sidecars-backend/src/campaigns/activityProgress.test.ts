import { defaultPayloadConverter } from '@temporalio/common';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { msNumberToTs } from '@temporalio/common/lib/time';
import {
  noCounts,
  type ActivityProgress,
  type CampaignCounts,
  type ReportedActivity,
} from '@internal/plugin-sidecars-common';
import { reportedActivityOf, withReportedActivity } from './activityProgress';

const converter = loadDataConverter();

const pending = (details: unknown, atMs: number) => ({
  heartbeatDetails: {
    payloads: [defaultPayloadConverter.toPayload(details)],
  },
  lastHeartbeatTime: msNumberToTs(atMs),
});

const counts = (partial: Partial<CampaignCounts>): CampaignCounts => ({
  ...noCounts(),
  ...partial,
});

const reported = (progress: ActivityProgress): ReportedActivity => ({
  progress,
  reportedAt: '2026-11-27T20:00:00.000Z',
});

describe('reportedActivityOf', () => {
  it("reads the latest heartbeat's progress, with its time", async () => {
    const older = { stage: 'holding', held: 100 };
    const newer = { stage: 'selecting', cluster: 'local', listed: 400 };
    expect(
      await reportedActivityOf(
        [pending(older, 1_000), pending(newer, 2_000), {}],
        converter,
      ),
    ).toEqual({
      progress: newer,
      reportedAt: new Date(2_000).toISOString(),
    });
  });

  it("reads the release's progress (a long one at 100,000 pods)", async () => {
    const releasing = { stage: 'releasing', released: 12, counted: 40_000 };
    expect(
      (await reportedActivityOf([pending(releasing, 3_000)], converter))
        ?.progress,
    ).toEqual(releasing);
  });

  it('has nothing to report without a heartbeat, or for one of no known stage', async () => {
    expect(await reportedActivityOf(undefined, converter)).toBeUndefined();
    expect(await reportedActivityOf([{}], converter)).toBeUndefined();
    expect(
      await reportedActivityOf(
        [pending({ phase: 'claiming', claimed: 3 }, 1_000)],
        converter,
      ),
    ).toBeUndefined();
  });
});

describe('withReportedActivity', () => {
  it("counts the first window's pods and the plan the workflow has not recorded yet", () => {
    const merged = withReportedActivity(
      { counts: counts({}), totalBatches: 0 },
      reported({
        stage: 'rolling',
        fromBatch: 0,
        toBatch: 20,
        states: { upgraded: 30, upgrading: 10, failed: 1, pending: 59 },
        inFlight: 10,
        plan: { selected: 1_000, skipped: 2, totalBatches: 20 },
      }),
    );
    expect(merged.counts).toEqual(
      counts({
        total: 1_000,
        upgraded: 30,
        failed: 1,
        skipped: 2,
        pending: 967,
      }),
    );
    expect(merged.totalBatches).toBe(20);
    expect(merged.activity?.progress.stage).toBe('rolling');
  });

  it('adds only what a window did since the workflow last counted it', () => {
    const merged = withReportedActivity(
      {
        counts: counts({ total: 100, upgraded: 50, failed: 1, pending: 49 }),
        totalBatches: 10,
        rollingWindow: {
          fromBatch: 5,
          toBatch: 10,
          counted: { upgraded: 10, failed: 1, skipped: 0 },
        },
      },
      reported({
        stage: 'rolling',
        fromBatch: 5,
        toBatch: 10,
        states: { upgraded: 25, failed: 1, upgrading: 5 },
        inFlight: 5,
      }),
    );
    expect(merged.counts).toEqual(
      counts({ total: 100, upgraded: 65, failed: 1, pending: 34 }),
    );
  });

  it('leaves the counts alone for an activity that is not rolling a window', () => {
    const status = {
      counts: counts({ total: 10, pending: 10 }),
      totalBatches: 2,
    };
    const holding = reported({ stage: 'holding', held: 4 });
    expect(withReportedActivity(status, holding)).toEqual({
      ...status,
      activity: holding,
    });
    expect(withReportedActivity(status, undefined)).toBe(status);
  });
});
