/** Test support: a bucket's day totals as its quarter-hours add them up, figure by figure and basis. */
import { dayTotalAttribute, parseFigureAttribute } from '../../functions/domain/aggregates';

export function totalsFromQuarterHours(attributes: Readonly<Record<string, number>>): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const [name, amount] of Object.entries(attributes)) {
    const parsed = parseFigureAttribute(name);
    if (parsed && parsed.slot !== null) {
      const total = dayTotalAttribute(parsed.figure, parsed.saleBasis);
      sums[total] = (sums[total] ?? 0) + amount;
    }
  }
  return sums;
}
