/**
 * Seeded randomness for the reliability suites: every workload and fault schedule derives from one seed,
 * printed with the figures, so a failing run can be replayed with STRESS_SEED=<seed>.
 */
import { randomGenerator } from '../../../scripts/random';

export { randomGenerator };

/** The run's seed: STRESS_SEED when given, else a fresh one; printed first, so a failing run names it. */
export function stressSeed(suite: string): number {
  const given = Number(process.env.STRESS_SEED);
  const seed = Number.isInteger(given) && given > 0 ? given : Math.floor(Math.random() * 2 ** 31) + 1;
  console.log(`${suite} suite seed ${seed} (replay: STRESS_SEED=${seed} npm run test:stress -- ${suite})`);
  return seed;
}

export class Dice {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = randomGenerator(seed);
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }
}
