import { mergeUnder } from './requests';

describe('mergeUnder', () => {
  it('merges objects key by key, the override winning', () => {
    expect(
      mergeUnder(
        { strategy: { bakeSeconds: 60, onFailure: 'pause' }, mode: 'in-place' },
        { strategy: { bakeSeconds: 0 }, container: 'envoy' },
      ),
    ).toEqual({
      strategy: { bakeSeconds: 0, onFailure: 'pause' },
      mode: 'in-place',
      container: 'envoy',
    });
  });

  it('keeps a parsed "__proto__" key as an own key and never sets a prototype', () => {
    const merged = mergeUnder(
      { strategy: {} },
      JSON.parse(
        '{"__proto__": {"fleetWide": true}, "strategy": {"__proto__": {"partition": 1}}}',
      ),
    ) as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(merged.strategy)).toBe(Object.prototype);
    expect(Object.keys(merged).sort()).toEqual(['__proto__', 'strategy']);
    expect(Object.keys(merged.strategy!)).toEqual(['__proto__']);
    expect(merged.fleetWide).toBeUndefined();
    expect(merged.strategy!.partition).toBeUndefined();
    expect(({} as Record<string, unknown>).fleetWide).toBeUndefined();
  });
});
