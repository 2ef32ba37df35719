// Every project's integration tests (real Kafka + PostgreSQL) in one Jest run (`npm run test:int`).
// testTimeout is a run-wide option, so it is repeated here from jest.int.preset.js.
module.exports = {
  projects: ['<rootDir>/{apps,libs}/*/jest.int.config.cjs', '<rootDir>/tools/jest.int.config.cjs'],
  testTimeout: 120_000,
};
