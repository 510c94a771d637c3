/** The time: the system clock in AWS and local mode, a clock a test moves by hand in unit tests. */
export interface Clock {
  now(): Date;
  /** Resolves once `ms` of this clock's time has passed (a test clock just moves on). */
  sleep(ms: number): Promise<void>;
}
