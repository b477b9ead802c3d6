import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  isWithinWindows,
  windowState,
  type MaintenanceWindow,
} from './windows';

const at = (iso: string) => new Date(iso);

// 22:00 to 04:00 Berlin time, Monday to Friday nights.
const weekdayNights: MaintenanceWindow[] = [
  { cron: '0 22 * * 1-5', durationMinutes: 360, timeZone: 'Europe/Berlin' },
];

describe('windowState', () => {
  it('is always open without windows', () => {
    assert.deepEqual(windowState([], at('2025-03-29T12:00:00Z')), {
      open: true,
      closesAt: null,
    });
    assert.equal(isWithinWindows([], at('2025-03-29T12:00:00Z')), true);
  });

  describe('a weekday night window in Europe/Berlin across the switch to summer time (30 March 2025)', () => {
    it('is open on Friday night, 22:30 CET, until 04:00 CET', () => {
      assert.deepEqual(windowState(weekdayNights, at('2025-03-28T21:30:00Z')), {
        open: true,
        closesAt: at('2025-03-29T03:00:00Z'),
      });
    });

    it('is closed on Saturday and next opens Monday 22:00 CEST, which is 20:00 UTC, not 21:00', () => {
      assert.deepEqual(windowState(weekdayNights, at('2025-03-29T12:00:00Z')), {
        open: false,
        opensAt: at('2025-03-31T20:00:00Z'),
      });
      assert.equal(
        isWithinWindows(weekdayNights, at('2025-03-29T12:00:00Z')),
        false,
      );
    });

    it('is still closed on Monday at 21:59 CEST', () => {
      assert.deepEqual(windowState(weekdayNights, at('2025-03-31T19:59:00Z')), {
        open: false,
        opensAt: at('2025-03-31T20:00:00Z'),
      });
    });

    it('opens exactly at Monday 22:00 CEST and closes exactly at 04:00 CEST', () => {
      assert.deepEqual(windowState(weekdayNights, at('2025-03-31T20:00:00Z')), {
        open: true,
        closesAt: at('2025-04-01T02:00:00Z'),
      });
      assert.equal(
        isWithinWindows(weekdayNights, at('2025-04-01T01:59:59.999Z')),
        true,
      );
      assert.deepEqual(windowState(weekdayNights, at('2025-04-01T02:00:00Z')), {
        open: false,
        opensAt: at('2025-04-01T20:00:00Z'),
      });
    });
  });

  describe('a weekday night window in Europe/Berlin across the switch to winter time (26 October 2025)', () => {
    it('next opens Monday 22:00 CET, which is 21:00 UTC', () => {
      assert.deepEqual(windowState(weekdayNights, at('2025-10-25T12:00:00Z')), {
        open: false,
        opensAt: at('2025-10-27T21:00:00Z'),
      });
    });

    it('is closed on Monday at 21:30 CET although that is 20:30 UTC, inside the summer-time opening', () => {
      assert.equal(
        isWithinWindows(weekdayNights, at('2025-10-27T20:30:00Z')),
        false,
      );
      assert.equal(
        isWithinWindows(weekdayNights, at('2025-10-27T21:30:00Z')),
        true,
      );
    });
  });

  it('opens a window whose start falls in the spring-forward gap at the end of the gap', () => {
    const window: MaintenanceWindow[] = [
      { cron: '30 2 * * *', durationMinutes: 60, timeZone: 'Europe/Berlin' },
    ];
    // 02:30 does not exist on 30 March 2025 in Berlin; the window opens at 03:00 CEST (01:00 UTC).
    assert.deepEqual(windowState(window, at('2025-03-30T00:30:00Z')), {
      open: false,
      opensAt: at('2025-03-30T01:00:00Z'),
    });
    assert.deepEqual(windowState(window, at('2025-03-30T01:00:00Z')), {
      open: true,
      closesAt: at('2025-03-30T02:00:00Z'),
    });
  });

  it('opens a window whose start occurs twice at the fall-back change only once', () => {
    const window: MaintenanceWindow[] = [
      { cron: '30 2 * * *', durationMinutes: 30, timeZone: 'Europe/Berlin' },
    ];
    // 02:30 occurs at 00:30 UTC (CEST) and again at 01:30 UTC (CET) on 26 October 2025.
    assert.deepEqual(windowState(window, at('2025-10-26T00:45:00Z')), {
      open: true,
      closesAt: at('2025-10-26T01:00:00Z'),
    });
    assert.deepEqual(windowState(window, at('2025-10-26T01:45:00Z')), {
      open: false,
      opensAt: at('2025-10-27T01:30:00Z'),
    });
  });

  it('counts the duration in elapsed time when the clocks jump inside a window', () => {
    const nightly: MaintenanceWindow[] = [
      { cron: '0 1 * * *', durationMinutes: 180, timeZone: 'Europe/Berlin' },
    ];
    // Opens 01:00 CET (00:00 UTC) on 30 March; three hours later it is 05:00 CEST.
    assert.deepEqual(windowState(nightly, at('2025-03-30T02:30:00Z')), {
      open: true,
      closesAt: at('2025-03-30T03:00:00Z'),
    });
  });

  it('joins overlapping and back-to-back windows', () => {
    const windows: MaintenanceWindow[] = [
      { cron: '0 22 * * *', durationMinutes: 120, timeZone: 'UTC' },
      { cron: '0 0 * * *', durationMinutes: 60, timeZone: 'UTC' },
      { cron: '30 0 * * *', durationMinutes: 60, timeZone: 'UTC' },
    ];
    assert.deepEqual(windowState(windows, at('2025-01-01T22:30:00Z')), {
      open: true,
      closesAt: at('2025-01-02T01:30:00Z'),
    });
    assert.deepEqual(windowState(windows, at('2025-01-02T01:30:00Z')), {
      open: false,
      opensAt: at('2025-01-02T22:00:00Z'),
    });
  });

  it('picks the earliest next opening among several windows', () => {
    const windows: MaintenanceWindow[] = [
      { cron: '0 9 * * *', durationMinutes: 60, timeZone: 'America/New_York' },
      { cron: '0 9 * * *', durationMinutes: 60, timeZone: 'Asia/Tokyo' },
    ];
    assert.deepEqual(windowState(windows, at('2025-01-01T12:00:00Z')), {
      open: false,
      opensAt: at('2025-01-01T14:00:00Z'),
    });
  });

  it('reports no next opening for a window that never opens', () => {
    assert.deepEqual(
      windowState(
        [{ cron: '0 0 30 2 *', durationMinutes: 60, timeZone: 'UTC' }],
        at('2025-01-01T00:00:00Z'),
      ),
      {
        open: false,
        opensAt: null,
      },
    );
  });

  describe('is consistent with itself', () => {
    const timeZone = fc.constantFrom(
      'Europe/Berlin',
      'UTC',
      'America/New_York',
    );
    // Instants spread over 2025, and instants within two days of its daylight-saving changes.
    const transitions = [
      '2025-03-09T07:00:00Z',
      '2025-03-30T01:00:00Z',
      '2025-10-26T01:00:00Z',
      '2025-11-02T06:00:00Z',
    ].map(Date.parse);
    const instant = fc
      .oneof(
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 0, 1) }),
        fc
          .tuple(
            fc.constantFrom(...transitions),
            fc.integer({ min: -2 * 86_400_000, max: 2 * 86_400_000 }),
          )
          .map(([t, offset]) => t + offset),
      )
      .map(ms => new Date(ms));

    function assertClosedUntilOpensAt(
      windows: MaintenanceWindow[],
      now: Date,
      opensAt: Date | null,
    ) {
      assert.ok(
        opensAt !== null && opensAt > now,
        `opensAt ${opensAt?.toISOString()} after ${now.toISOString()}`,
      );
      assert.equal(
        isWithinWindows(windows, new Date(opensAt.getTime() - 1)),
        false,
        'closed just before opensAt',
      );
      assert.equal(isWithinWindows(windows, opensAt), true, 'open at opensAt');
    }

    // One window whose duration is shorter than the gap between its openings: every close is real.
    it('for one window, the state changes exactly at opensAt and closesAt', () => {
      const window = fc.record({
        cron: fc.constantFrom(
          '0 22 * * 1-5',
          '30 2 * * *',
          '0 */6 * * *',
          '15 3 1 * *',
          '0 1 * * 0',
          '*/20 1-3 * * *',
        ),
        durationMinutes: fc.integer({ min: 1, max: 19 }),
        timeZone,
      });
      fc.assert(
        fc.property(window, instant, (w, now) => {
          const state = windowState([w], now);
          if (!state.open) {
            assertClosedUntilOpensAt([w], now, state.opensAt);
            return;
          }
          assert.ok(state.closesAt !== null && state.closesAt > now);
          assert.equal(
            isWithinWindows([w], new Date(state.closesAt.getTime() - 1)),
            true,
            'open just before closesAt',
          );
          assert.equal(
            isWithinWindows([w], state.closesAt),
            false,
            'closed at closesAt',
          );
        }),
        { numRuns: 300 },
      );
    });

    // Several windows may cover all time; closesAt then only promises the state holds until it.
    it('for several windows, the state holds until closesAt and changes at opensAt', () => {
      const window = fc.record({
        cron: fc.constantFrom(
          '0 22 * * 1-5',
          '30 2 * * *',
          '0 */6 * * *',
          '15 3 1 * *',
          '0 1 * * 0',
        ),
        durationMinutes: fc.integer({ min: 1, max: 600 }),
        timeZone,
      });
      fc.assert(
        fc.property(
          fc.array(window, { minLength: 1, maxLength: 3 }),
          instant,
          (windows, now) => {
            const state = windowState(windows, now);
            if (!state.open) {
              assertClosedUntilOpensAt(windows, now, state.opensAt);
              return;
            }
            assert.ok(state.closesAt !== null && state.closesAt > now);
            assert.equal(
              isWithinWindows(windows, new Date(state.closesAt.getTime() - 1)),
              true,
              'open just before closesAt',
            );
          },
        ),
        { numRuns: 200 },
      );
    });
  });

  it('bounds closesAt when windows cover all time', () => {
    const windows: MaintenanceWindow[] = [
      { cron: '0 */6 * * *', durationMinutes: 300, timeZone: 'UTC' },
      { cron: '0 */6 * * *', durationMinutes: 60, timeZone: 'Europe/Berlin' },
    ];
    const state = windowState(windows, at('2025-01-01T00:00:00Z'));
    assert.equal(state.open, true);
    assert.ok(
      state.open &&
        state.closesAt !== null &&
        state.closesAt > at('2025-01-10T00:00:00Z'),
    );
  });
});
