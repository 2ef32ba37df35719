// eslint-disable-next-line @nx/enforce-module-boundaries -- Jest configuration, not project code: it extends the workspace preset's transforms
const preset = require('../jest.preset.js');
const { ESM_MODELS } = require('./k8s/esm-models.jest-resolver.cjs');

// The preset compiles cockatiel's ES modules for Jest; the tools tests also load the ESM-only
// kubernetes-models packages (see k8s/esm-models.jest-resolver.cjs), so both are transformed here.
const COCKATIEL = /[\\/]node_modules[\\/]cockatiel[\\/]/;

module.exports = {
  displayName: 'tools',
  preset: '../jest.preset.js',
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/generators/.*/files/'],
  resolver: '<rootDir>/k8s/esm-models.jest-resolver.cjs',
  transform: {
    ...preset.transform,
    [ESM_MODELS.source + '.+\\.js$']: ['ts-jest', { tsconfig: '<rootDir>/k8s/tsconfig.esm-models.json' }],
  },
  transformIgnorePatterns: [
    `^(?!.*(?:${ESM_MODELS.source}|${COCKATIEL.source})).*[\\\\/]node_modules[\\\\/]`,
  ],
};
