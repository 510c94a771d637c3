process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
/**
 * One jest run, three projects: pure unit tests and CDK assertions start nothing; integration tests run
 * against the real local engines that test/support/global-setup.ts starts once, only when an integration
 * test is selected. `npm test` runs all three; `npm run test:unit` the fast loop.
 */
const { shared } = require('./jest.shared.cjs');

const project = (name, extra = {}) => ({
  ...shared,
  displayName: name,
  roots: [`<rootDir>/test/${name}`],
  testMatch: ['**/*.test.ts'],
  ...extra,
});

module.exports = {
  testTimeout: 60000,
  projects: [
    project('unit'),
    project('infra'),
    project('integration', {
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    }),
  ],
};
