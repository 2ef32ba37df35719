const { ESM_MODELS } = require('./k8s/esm-models.jest-resolver.cjs');

module.exports = {
  displayName: 'tools',
  preset: '../jest.preset.js',
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/generators/.*/files/'],
  resolver: '<rootDir>/k8s/esm-models.jest-resolver.cjs',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
    [ESM_MODELS.source + '.+\\.js$']: ['ts-jest', { tsconfig: '<rootDir>/k8s/tsconfig.esm-models.json' }],
  },
  transformIgnorePatterns: [`^(?!.*${ESM_MODELS.source}).*[\\\\/]node_modules[\\\\/]`],
};
