import type { MaintenanceWindow } from '@internal/plugin-sidecars-common';
import { progressCounts as counts } from '../__testUtils__/campaignCounts';
import { estimateEnd } from './estimatedEnd';
import { windowOpenings } from './windowOpenings';

describe('windowOpenings', () => {
  const nightly: MaintenanceWindow = {
    cron: '0 22 * * *',
    durationMinutes: 120,
    timeZone: 'UTC',
  };

  it('lists each opening in the range, clipping the one open at its start', () => {
    expect(
      windowOpenings(
        [nightly],
        new Date('2030-01-01T23:00:00Z'),
        new Date('2030-01-03T23:00:00Z'),
      ),
    ).toEqual([
      { start: '2030-01-01T23:00:00.000Z', end: '2030-01-02T00:00:00.000Z' },
      { start: '2030-01-02T22:00:00.000Z', end: '2030-01-03T00:00:00.000Z' },
      { start: '2030-01-03T22:00:00.000Z', end: '2030-01-03T23:00:00.000Z' },
    ]);
  });

  it('joins openings that touch into one span', () => {
    const hourly: MaintenanceWindow = {
      cron: '0 * * * *',
      durationMinutes: 60,
      timeZone: 'UTC',
    };
    expect(
      windowOpenings(
        [hourly],
        new Date('2030-01-01T00:30:00Z'),
        new Date('2030-01-05T00:00:00Z'),
      ),
    ).toEqual([
      { start: '2030-01-01T00:30:00.000Z', end: '2030-01-05T00:00:00.000Z' },
    ]);
  });

  it('follows the window time zone', () => {
    const berlinMorning: MaintenanceWindow = {
      cron: '0 6 * * 1',
      durationMinutes: 30,
      timeZone: 'Europe/Berlin',
    };
    // 2030-01-07 is a Monday; Berlin is UTC+1 in January.
    expect(
      windowOpenings(
        [berlinMorning],
        new Date('2030-01-01T00:00:00Z'),
        new Date('2030-01-08T00:00:00Z'),
      ),
    ).toEqual([
      { start: '2030-01-07T05:00:00.000Z', end: '2030-01-07T05:30:00.000Z' },
    ]);
  });
});

describe('estimateEnd', () => {
  const workStart = new Date('2030-01-01T10:00:00Z');
  const now = new Date('2030-01-01T11:00:00Z');

  it('extends the pace so far to the pods left: 1 h for a quarter is 4 h in all', () => {
    expect(
      estimateEnd(
        { phase: 'Running', counts: counts(25, 100), workStart },
        now,
      ),
    ).toEqual({
      estimatedEnd: '2030-01-01T14:00:00.000Z',
      estimate: expect.stringMatching(/^25 of 100 pods done in 1 h;/),
    });
  });

  it.each([
    ['Running', counts(0, 100), /no pod of 100 is done yet after 1 h/],
    ['Running', counts(0, 0), /has not counted its pods yet/],
    ['Running', undefined, /has not counted its pods yet/],
    ['Scheduled', counts(0, 100), /not started yet/],
    ['Paused', counts(50, 100), /paused/],
    ['RollingBack', counts(50, 100), /rolling back/],
  ] as const)(
    'gives no end for a %s campaign (case %#), saying why',
    (phase, progress, why) => {
      const estimate = estimateEnd(
        { phase, workStart, ...(progress ? { counts: progress } : {}) },
        now,
      );
      expect(estimate.estimatedEnd).toBeNull();
      expect(estimate.estimate).toMatch(why);
    },
  );

  it('ends now when every pod is done', () => {
    expect(
      estimateEnd({ phase: 'Running', counts: counts(10, 10), workStart }, now)
        .estimatedEnd,
    ).toBe(now.toISOString());
  });
});
