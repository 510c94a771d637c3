import fc from 'fast-check';
import { PACKED_FIGURES, packFigures, unpackFigures } from '../../../functions/adapters/packed-figures';

test('figures packed into one attribute unpack to the same figures, without the zeros', () => {
  expect(packFigures({ c3: 2, sn95: -1200, cD: 2, g4: 0 })).toEqual({
    [PACKED_FIGURES]: 'c3=2,sn95=-1200,cD=2',
  });
  expect(unpackFigures('c3=2,sn95=-1200,cD=2', {})).toEqual({ c3: 2, sn95: -1200, cD: 2 });
  expect(packFigures({ c3: 0 })).toEqual({});
  fc.assert(
    fc.property(
      fc.dictionary(fc.stringMatching(/^s?[a-z](\d{1,2}|D)$/), fc.integer({ min: -1e12, max: 1e12 })),
      (figures) => {
        const packed = packFigures(figures)[PACKED_FIGURES] ?? '';
        const nonZero = Object.fromEntries(Object.entries(figures).filter(([, value]) => value !== 0));
        expect(unpackFigures(packed, {})).toEqual(nonZero);
      },
    ),
  );
});

test('unpacking adds to the number attributes already read from the same item', () => {
  expect(unpackFigures('c3=2,cD=2', { c3: 1, cD: 1, c4: 5 })).toEqual({ c3: 3, cD: 3, c4: 5 });
});

test('what cannot be packed or unpacked is refused, never stored or read as another figure', () => {
  expect(() => packFigures({ 'c3,x': 1 })).toThrow(/cannot pack figure/);
  expect(() => packFigures({ c3: 1.5 })).toThrow(/cannot pack figure/);
  expect(() => unpackFigures('c3=2,=4', {})).toThrow(/not valid: =4/);
  expect(() => unpackFigures('c3=two', {})).toThrow(/not valid: c3=two/);
});
