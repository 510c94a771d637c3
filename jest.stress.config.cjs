/**
 * `npm run test:stress`: the reliability suites (issue 7), apart from `npm test` because they push
 * thousands of postbacks through the local service. Same transform, module mapping and local engines as
 * jest.config.cjs; suites are named *.stress.ts (so `npm test` never picks them up) and run one at a
 * time, each with its own table and queues, with the service logging at DEBUG (every line is checked
 * for customer data).
 */
const { shared } = require('./jest.shared.cjs');

module.exports = {
  ...shared,
  roots: ['<rootDir>/test/stress'],
  testMatch: ['**/*.stress.ts'],
  setupFiles: [...shared.setupFiles, '<rootDir>/test/stress/support/env.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 1,
  // Every suite bounds its own loops and waits; this is the backstop per test.
  testTimeout: 300000,
};
