import { nextRate, searchSideBySide, sustainableRate, type StepOptions } from '../../../bench/step-search';

const options: StepOptions = { startRatePerS: 20, factor: 1.5, refinements: 1, maxSteps: 10, minRatePerS: 2 };

/** A pipeline that keeps up exactly up to `capacity` postbacks per second. */
const upTo = (capacity: number) => async (_name: string, ratePerS: number) => ({
  ratePerS,
  passed: ratePerS <= capacity,
  p99Ms: ratePerS <= capacity ? 500 : 3000,
});

describe('the sustainable-rate step search', () => {
  it('climbs by the factor while the pipeline keeps up, then tries one midpoint between the last pass and the first miss', async () => {
    const { floor } = await searchSideBySide(['floor'] as const, options, upTo(50));
    expect(floor.trials.map((trial) => trial.ratePerS)).toEqual([20, 30, 45, 68, 55]);
    expect(floor.sustainableRatePerS).toBe(45);
  });

  it('steps down from the start when the pipeline cannot keep up there, and reports 0 when nothing passes', async () => {
    const { service } = await searchSideBySide(['service'] as const, options, upTo(9));
    expect(service.trials.map((trial) => trial.ratePerS)).toEqual([20, 13, 9, 11]);
    expect(service.sustainableRatePerS).toBe(9);
    const none = await searchSideBySide(['service'] as const, options, upTo(0));
    expect(none.service.sustainableRatePerS).toBe(0);
    expect(none.service.trials.at(-1)!.ratePerS).toBeGreaterThanOrEqual(options.minRatePerS);
  });

  it('runs both pipelines step by step, alternating which goes first, each on its own ladder', async () => {
    const calls: string[] = [];
    const result = await searchSideBySide(
      ['service', 'floor'] as const,
      options,
      async (name, ratePerS, step) => {
        calls.push(`${step}:${name}@${ratePerS}`);
        return upTo(name === 'service' ? 25 : 60)(name, ratePerS);
      },
    );
    expect(calls.slice(0, 4)).toEqual(['0:service@20', '0:floor@20', '1:floor@30', '1:service@30']);
    expect(result.service.sustainableRatePerS).toBe(24);
    expect(result.floor.sustainableRatePerS).toBe(55);
  });

  it('stops after maxSteps even without a miss', () => {
    const trials = Array.from({ length: 3 }, (_, index) => ({
      ratePerS: 20 * 1.5 ** index,
      passed: true,
      p99Ms: 1,
    }));
    expect(nextRate(trials, { ...options, maxSteps: 3 })).toBeNull();
    expect(sustainableRate(trials)).toBe(45);
  });
});
