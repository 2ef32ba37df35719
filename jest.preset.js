// Unit-test defaults shared by every project: Node environment, ts-jest in transpile-only mode
// (tsconfig.base.json sets isolatedModules; `npm run typecheck` does the type checking).
const { join } = require('node:path');
const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
    // cockatiel 4 ships only ES modules. Node 24 require()s them; Jest's CommonJS runtime cannot (only
    // under --experimental-vm-modules), so they are compiled to CommonJS for the tests.
    '/node_modules/cockatiel/.+\\.js$': [
      'ts-jest',
      { tsconfig: join(__dirname, 'tools/test/tsconfig.esm-packages.json') },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!cockatiel/)'],
};
