import { calendarRange, dayStarts, placement } from './calendarRange';

describe('calendarRange', () => {
  it('starts at the beginning of today and spans 14 local days', () => {
    const range = calendarRange(new Date(2030, 2, 20, 15, 30));
    expect(new Date(range.from)).toEqual(new Date(2030, 2, 20));
    expect(new Date(range.to)).toEqual(new Date(2030, 3, 3));
    expect(dayStarts(range)).toHaveLength(14);
  });
});

describe('placement', () => {
  const range = { from: 0, to: 1000 };

  it('places a span by percentage of the range', () => {
    expect(placement(range, 250, 500)).toEqual({ left: 25, width: 25 });
  });

  it('clips a span that runs past either end', () => {
    expect(placement(range, -500, 100)).toEqual({ left: 0, width: 10 });
    expect(placement(range, 900, 5000)).toEqual({ left: 90, width: 10 });
  });

  it('gives an instant no width, and nothing for a span outside the range', () => {
    expect(placement(range, 400, 400)).toEqual({ left: 40, width: 0 });
    expect(placement(range, 1200, 1300)).toBeUndefined();
    expect(placement(range, -300, -100)).toBeUndefined();
  });
});
