import fc from 'fast-check';
import { PACKED_FIGURES, packFigures, unpackFigures } from '../../../functions/adapters/packed-figures';

test("a rolled bucket's quarter-hours pack into one row per figure; its day totals stay numbers; zeros are left out", () => {
  expect(packFigures({ c3: 2, c0: 1, sn95: -1200, cD: 3, g4: 0, sn90: 7 })).toEqual({
    cD: 3,
    [PACKED_FIGURES]: 'c:1,,,2;sn:*90,7,*4,-1200',
  });
  expect(unpackFigures('c:1,,,2;sn:*90,7,*4,-1200', {})).toEqual({ c0: 1, c3: 2, sn90: 7, sn95: -1200 });
  expect(packFigures({ c3: 0, cD: 0 })).toEqual({ cD: 0 });
});

test('any figures packed and unpacked are the same figures, without the zero quarter-hours', () => {
  fc.assert(
    fc.property(
      fc.dictionary(
        fc.oneof(
          fc
            .tuple(fc.constantFrom('c', 'v', 'p', 'sn', 'sr'), fc.nat({ max: 95 }))
            .map(([code, slot]) => `${code}${slot}`),
          fc.constantFrom('cD', 'snD'),
        ),
        fc.oneof(fc.constant(0), fc.integer({ min: -1e12, max: 1e12 })),
      ),
      (figures) => {
        const { [PACKED_FIGURES]: packed, ...numbers } = packFigures(figures);
        const unpacked = unpackFigures((packed as string | undefined) ?? '', { ...numbers } as Record<
          string,
          number
        >);
        const expected = Object.fromEntries(
          Object.entries(figures).filter(([name, value]) => value !== 0 || name.endsWith('D')),
        );
        expect(unpacked).toEqual(expected);
      },
    ),
  );
});

test('unpacking adds to the number attributes already read from the same item', () => {
  expect(unpackFigures('c:,,,2', { c3: 1, cD: 1, c4: 5 })).toEqual({ c3: 3, cD: 1, c4: 5 });
});

test('what cannot be packed or unpacked is refused, never stored or read as another figure', () => {
  expect(() => packFigures({ c3: 1.5 })).toThrow(/not an integer/);
  expect(() => unpackFigures('c:1,two', {})).toThrow(/not valid: c1 two/);
  expect(() => unpackFigures(':1', {})).toThrow(/row is not valid/);
  expect(() => unpackFigures('c:*0,1', {})).toThrow(/not valid: c0 \*0/);
  expect(() => unpackFigures('c:*95,1,1', {})).toThrow(/more than 96 slots/);
});
