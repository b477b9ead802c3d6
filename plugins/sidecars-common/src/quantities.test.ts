import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseQuantity,
  resolveCount,
  resolveMaxUnavailable,
  type CountOrPercent,
} from './quantities';

describe('resolveCount', () => {
  const cases: Array<[CountOrPercent, number, 'down' | 'up', number]> = [
    ['25%', 10, 'down', 2],
    ['25%', 10, 'up', 3],
    ['1%', 10, 'down', 0],
    ['1%', 10, 'up', 1],
    ['100%', 7, 'down', 7],
    ['0%', 50, 'up', 0],
    ['33%', 3, 'down', 0],
    ['34%', 3, 'up', 2],
    ['10%', 0, 'up', 0],
    ['7%', 100, 'up', 7],
    ['7%', 100, 'down', 7],
    [4, 10, 'down', 4],
    [15, 10, 'up', 15],
    [0, 10, 'down', 0],
  ];
  for (const [value, total, rounding, expected] of cases) {
    it(`${JSON.stringify(value)} of ${total} rounded ${rounding} is ${expected}`, () => {
      assert.equal(resolveCount(value, total, rounding), expected);
    });
  }

  for (const invalid of ['5', '101%', '-1%', '1.5%', 2.5, -1, ' 5%']) {
    it(`throws on ${JSON.stringify(invalid)}`, () => {
      assert.throws(() => resolveCount(invalid, 10, 'down'), RangeError);
      assert.equal(parseQuantity(invalid), null);
    });
  }
});

describe('resolveMaxUnavailable', () => {
  const cases: Array<[CountOrPercent, number, number]> = [
    ['25%', 10, 2],
    ['1%', 10, 1],
    ['10%', 5, 1],
    ['100%', 10, 10],
    ['100%', 0, 0],
    ['10%', 0, 0],
    [3, 0, 0],
    [3, 10, 3],
    [30, 10, 10],
    ['50%', 3, 1],
    ['99%', 100, 99],
  ];
  for (const [value, total, expected] of cases) {
    it(`${JSON.stringify(value)} of ${total} pods is ${expected}`, () => {
      assert.equal(resolveMaxUnavailable(value, total), expected);
    });
  }
});
