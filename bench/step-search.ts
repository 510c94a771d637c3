/**
 * The sustainable rate: the highest offered rate at which a pipeline keeps p99 freshness within the
 * limit, found by a step search. Rates climb by a factor from the start while the pipeline keeps up
 * (or fall by it while it does not), then one geometric midpoint between the last pass and the first
 * miss refines the answer. Several pipelines search side by side: each step runs one short phase per
 * pipeline, one after the other, so both see the same machine at about the same time.
 */

export interface StepOptions {
  readonly startRatePerS: number;
  readonly factor: number;
  /** Midpoints tried once the passing and failing rates bracket the answer. */
  readonly refinements: number;
  readonly maxSteps: number;
  readonly minRatePerS: number;
}

export interface StepTrial {
  readonly ratePerS: number;
  readonly passed: boolean;
  readonly p99Ms: number;
}

export interface StepResult {
  /** The highest rate that passed (0 when none did down to the minimum). */
  readonly sustainableRatePerS: number;
  readonly trials: readonly StepTrial[];
}

/** The next rate to try after `trials`, or null when the search is over. */
export function nextRate(trials: readonly StepTrial[], options: StepOptions): number | null {
  if (trials.length === 0) return options.startRatePerS;
  if (trials.length >= options.maxSteps) return null;
  const passes = trials.filter((trial) => trial.passed).map((trial) => trial.ratePerS);
  const misses = trials.filter((trial) => !trial.passed).map((trial) => trial.ratePerS);
  const best = passes.length > 0 ? Math.max(...passes) : null;
  const worst = misses.length > 0 ? Math.min(...misses) : null;
  if (worst === null) return Math.round(best! * options.factor);
  if (best === null) {
    const lower = Math.round(worst / options.factor);
    return lower >= options.minRatePerS && lower < worst ? lower : null;
  }
  const bracketed = trials.findIndex(
    (trial, index) =>
      trials.slice(0, index + 1).some((t) => t.passed) && trials.slice(0, index + 1).some((t) => !t.passed),
  );
  const refinementsDone = trials.length - 1 - bracketed;
  if (refinementsDone >= options.refinements) return null;
  const middle = Math.round(Math.sqrt(best * worst));
  return middle > best && middle < worst ? middle : null;
}

export function sustainableRate(trials: readonly StepTrial[]): number {
  const passes = trials.filter((trial) => trial.passed).map((trial) => trial.ratePerS);
  return passes.length > 0 ? Math.max(...passes) : 0;
}

/** Runs the searches side by side; `trial` runs one phase of one pipeline at one rate. */
export async function searchSideBySide<P extends string>(
  pipelines: readonly P[],
  options: StepOptions,
  trial: (pipeline: P, ratePerS: number, step: number) => Promise<StepTrial>,
): Promise<Record<P, StepResult>> {
  const trials = Object.fromEntries(pipelines.map((pipeline) => [pipeline, [] as StepTrial[]])) as Record<
    P,
    StepTrial[]
  >;
  for (let step = 0; ; step++) {
    const due = pipelines.flatMap((pipeline) => {
      const rate = nextRate(trials[pipeline], options);
      return rate === null ? [] : [[pipeline, rate] as const];
    });
    if (due.length === 0) break;
    // Alternate which pipeline goes first, so neither always runs right after the other's backlog.
    const ordered = step % 2 === 0 ? due : [...due].reverse();
    for (const [pipeline, rate] of ordered) trials[pipeline].push(await trial(pipeline, rate, step));
  }
  return Object.fromEntries(
    pipelines.map((pipeline): [P, StepResult] => [
      pipeline,
      { sustainableRatePerS: sustainableRate(trials[pipeline]), trials: trials[pipeline] },
    ]),
  ) as unknown as Record<P, StepResult>;
}
