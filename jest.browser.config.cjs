process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
/** The console in a real browser: Debian's Chromium against `npm start` (see test/browser/support). */
const base = require('./jest.config.cjs');
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.browser.ts'],
  transform: base.transform,
  transformIgnorePatterns: base.transformIgnorePatterns,
  moduleNameMapper: base.moduleNameMapper,
  setupFiles: base.setupFiles,
  testTimeout: 120000,
  maxWorkers: 1,
};
