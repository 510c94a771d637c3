process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
/**
 * `npm run test:browser`: the console in a real browser, Debian's Chromium against a real `npm start`
 * (see test/browser/support). Apart from `npm test` because it needs Chromium and starts the whole
 * service as a person does; .ci/run runs it right after `npm test`.
 */
const { shared } = require('./jest.shared.cjs');

module.exports = {
  ...shared,
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.browser.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
};
