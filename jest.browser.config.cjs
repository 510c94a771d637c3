process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
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
  // test/browser/reads needs the reads-at-scale routes and `npm run seed` (issue 12): drop this line once
  // they are on the branch (the suite passed against issue-12 merged in on 2026-12-02).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/browser/reads/'],
  testTimeout: 120000,
  maxWorkers: 1,
};
