// Component tests of the console's views: jsdom, ts-jest over TSX (the workspace preset is Node-only).
const { join } = require('node:path');

// Packages that ship only ES modules, compiled for Jest by jest.esm-transform.cjs.
const ESM_PACKAGES = ['react-router', '@remix-run/route-pattern', 'cookie-es'];

module.exports = {
  displayName: 'console',
  preset: '../../jest.preset.js',
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/src/**/*.spec.ts?(x)'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  setupFiles: ['<rootDir>/src/test-support/jsdom-globals.ts'],
  moduleNameMapper: { '\\.css$': '<rootDir>/src/test-support/no-style.ts' },
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
    [`/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.m?js$`]: join(__dirname, 'jest.esm-transform.cjs'),
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
};
