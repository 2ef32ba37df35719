// Integration-test defaults: real Kafka and PostgreSQL, started (or reused) by tools/test/global-setup.ts.
const path = require('node:path');
const unitPreset = require('./jest.preset.js');

module.exports = {
  ...unitPreset,
  testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
  globalSetup: path.join(__dirname, 'tools/test/global-setup.ts'),
  globalTeardown: path.join(__dirname, 'tools/test/global-teardown.ts'),
  testTimeout: 120_000,
};
