import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachLimited } from './context';

/** A paged source, as a list of the API server streams it; it records how far it has been read. */
async function* pages(total: number, read: { count: number }) {
  for (let i = 0; i < total; i++) {
    await Promise.resolve();
    read.count = i + 1;
    yield i;
  }
}

describe('forEachLimited', () => {
  it('works through a stream with at most `limit` in flight, taking items only as slots free', async () => {
    const read = { count: 0 };
    const done: number[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    let mostReadAhead = 0;
    await forEachLimited(pages(200, read), 8, async item => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      mostReadAhead = Math.max(mostReadAhead, read.count - done.length);
      await new Promise(resolve => setImmediate(resolve));
      done.push(item);
      inFlight--;
    });
    assert.deepEqual(
      done.toSorted((a, b) => a - b),
      Array.from({ length: 200 }, (_, i) => i),
    );
    assert.equal(mostInFlight, 8);
    assert.ok(
      mostReadAhead <= 8,
      `read ${mostReadAhead} items ahead of the work`,
    );
  });

  it('runs an array as before, and an empty one not at all', async () => {
    const seen: string[] = [];
    await forEachLimited(['a', 'b', 'c'], 64, async item => {
      seen.push(item);
    });
    assert.deepEqual(seen, ['a', 'b', 'c']);
    await forEachLimited([], 4, async () => assert.fail('no items'));
  });
});
