/**
 * How a rolled bucket stores its figures: every figure attribute (`c37`, `sr12`, `cD`, ...) packed into one
 * string attribute, `name=value` pairs joined by commas, instead of one number attribute each. A rolled
 * sales bucket holds about 600 figures at saturation: as 600 attributes, every read of it costs DynamoDB and
 * the SDK 600 attributes to parse; packed, one. Rolled buckets are only ever written whole (the roll-up's
 * read, add and put), so nothing needs to ADD into a single figure of them; the written buckets, which the
 * write path moves with ADD, keep their number attributes.
 */
export const PACKED_FIGURES = 'figs';

const NAME = /^[a-zA-Z]+\d*$/;

/** The attribute a rolled bucket stores its figures in (none when every figure is 0). */
export function packFigures(figures: Readonly<Record<string, number>>): Record<string, string> {
  const pairs = Object.entries(figures)
    .filter(([, value]) => value !== 0)
    .map(([name, value]) => {
      if (!NAME.test(name) || !Number.isSafeInteger(value))
        throw new Error(`cannot pack figure ${name}=${value}: names are letters and digits, values integers`);
      return `${name}=${value}`;
    });
  return pairs.length === 0 ? {} : { [PACKED_FIGURES]: pairs.join(',') };
}

/** Adds the packed figures into `into` (which may hold number attributes of the same item already). */
export function unpackFigures(packed: string, into: Record<string, number>): Record<string, number> {
  if (packed === '') return into;
  for (const pair of packed.split(',')) {
    const split = pair.indexOf('=');
    const name = pair.slice(0, split);
    const value = Number(pair.slice(split + 1));
    if (split <= 0 || !Number.isSafeInteger(value)) throw new Error(`a packed figure is not valid: ${pair}`);
    into[name] = (into[name] ?? 0) + value;
  }
  return into;
}
