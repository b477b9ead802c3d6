import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  matchesLabelSelector,
  parseLabelSelector,
  type LabelRequirement,
} from './labelSelector';

function requirements(selector: string): LabelRequirement[] {
  const result = parseLabelSelector(selector);
  assert.ok(
    result.ok,
    `"${selector}" should parse: ${result.ok ? '' : result.error}`,
  );
  return result.requirements;
}

describe('parseLabelSelector', () => {
  it('parses every operator', () => {
    assert.deepEqual(
      requirements('a=b, c==d,e!=f , g in (x, y),h notin(z),!i,j,k>5,l<-2,m='),
      [
        { key: 'a', operator: 'In', values: ['b'] },
        { key: 'c', operator: 'In', values: ['d'] },
        { key: 'e', operator: 'NotIn', values: ['f'] },
        { key: 'g', operator: 'In', values: ['x', 'y'] },
        { key: 'h', operator: 'NotIn', values: ['z'] },
        { key: 'i', operator: 'DoesNotExist' },
        { key: 'j', operator: 'Exists' },
        { key: 'k', operator: 'Gt', value: 5 },
        { key: 'l', operator: 'Lt', value: -2 },
        { key: 'm', operator: 'In', values: [''] },
      ],
    );
    assert.deepEqual(
      requirements('a in (in, notin),b=in,in notin (x),!notin'),
      [
        { key: 'a', operator: 'In', values: ['in', 'notin'] },
        { key: 'b', operator: 'In', values: ['in'] },
        { key: 'in', operator: 'NotIn', values: ['x'] },
        { key: 'notin', operator: 'DoesNotExist' },
      ],
    );
  });

  it('accepts prefixed keys and an empty selector', () => {
    assert.deepEqual(requirements('app.kubernetes.io/name=web'), [
      { key: 'app.kubernetes.io/name', operator: 'In', values: ['web'] },
    ]);
    assert.deepEqual(requirements(''), []);
    assert.deepEqual(requirements('   '), []);
  });

  const invalid: Array<[string, RegExp]> = [
    ['a=b,', /expected a label key but found the end/],
    [',a', /expected a label key but found "," at position 1/],
    [
      'a b',
      /expected an operator .* after label key "a" but found "b" at position 3/,
    ],
    [
      'a in (b',
      /expected "," or "\)" in the value list for "a" but found the end/,
    ],
    ['a in b', /expected "\(" to open the value list/],
    ['a in ()', /expected a value for label "a" but found "\)"/],
    ['a in (b,,c)', /expected a value for label "a" but found ","/],
    ['a=(b)', /expected a value for label "a" but found "\("/],
    ['a=b=c', /expected "," between requirements but found "="/],
    ['a>b', /expected an integer after ">"/],
    ['-a=b', /"-a" is not a valid label key/],
    ['a/b/c=d', /"a\/b\/c" is not a valid label key/],
    ['Foo.Com/a=b', /not a valid label key/],
    [`a=${'x'.repeat(64)}`, /is not a valid value for label "a"/],
    ['a=b-', /"b-" is not a valid value/],
    ['!', /expected a label key but found the end/],
    ['a!b', /expected an operator/],
  ];
  for (const [selector, message] of invalid) {
    it(`rejects ${JSON.stringify(selector)}`, () => {
      const result = parseLabelSelector(selector);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.error, message);
    });
  }

  it('parses what it formats', () => {
    const key = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);
    const value = fc.stringMatching(
      /^[A-Za-z0-9]([A-Za-z0-9._-]{0,6}[A-Za-z0-9])?$/,
    );
    const requirement: fc.Arbitrary<[string, LabelRequirement]> = fc.oneof(
      fc
        .tuple(key, value)
        .map(([k, v]): [string, LabelRequirement] => [
          `${k}=${v}`,
          { key: k, operator: 'In', values: [v] },
        ]),
      fc
        .tuple(key, value)
        .map(([k, v]): [string, LabelRequirement] => [
          `${k} != ${v}`,
          { key: k, operator: 'NotIn', values: [v] },
        ]),
      fc
        .tuple(key, fc.array(value, { minLength: 1, maxLength: 3 }))
        .map(([k, vs]): [string, LabelRequirement] => [
          `${k} in (${vs.join(', ')})`,
          { key: k, operator: 'In', values: vs },
        ]),
      fc
        .tuple(key, fc.array(value, { minLength: 1, maxLength: 3 }))
        .map(([k, vs]): [string, LabelRequirement] => [
          `${k} notin (${vs.join(',')})`,
          { key: k, operator: 'NotIn', values: vs },
        ]),
      key.map((k): [string, LabelRequirement] => [
        k,
        { key: k, operator: 'Exists' },
      ]),
      key.map((k): [string, LabelRequirement] => [
        `!${k}`,
        { key: k, operator: 'DoesNotExist' },
      ]),
      fc
        .tuple(key, fc.integer({ min: -1000, max: 1000 }))
        .map(([k, n]): [string, LabelRequirement] => [
          `${k}>${n}`,
          { key: k, operator: 'Gt', value: n },
        ]),
    );
    fc.assert(
      fc.property(fc.array(requirement, { maxLength: 6 }), parts => {
        const selector = parts.map(([text]) => text).join(',');
        const expected = parts.map(([, parsed]) => parsed);
        assert.deepEqual(parseLabelSelector(selector), {
          ok: true,
          requirements: expected,
        });
      }),
    );
  });
});

describe('matchesLabelSelector', () => {
  const labels = { app: 'web', tier: 'frontend', replicas: '3', empty: '' };
  const cases: Array<[string, boolean]> = [
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=api', false],
    ['app!=api', true],
    ['missing!=x', true],
    ['app in (api,web)', true],
    ['app notin (api,web)', false],
    ['missing notin (x)', true],
    ['missing in (x)', false],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['replicas>2', true],
    ['replicas<3', false],
    ['app>1', false],
    ['missing<1', false],
    ['empty=', true],
    ['app=web,tier=backend', false],
    ['app=web,tier in (frontend)', true],
  ];
  for (const [selector, expected] of cases) {
    it(`${JSON.stringify(selector)} ${expected ? 'matches' : 'does not match'}`, () => {
      assert.equal(
        matchesLabelSelector(requirements(selector), labels),
        expected,
      );
    });
  }

  it('does not see inherited properties as labels', () => {
    assert.equal(matchesLabelSelector(requirements('constructor'), {}), false);
  });
});
