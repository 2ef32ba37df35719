// Every project's integration tests (real Kafka + PostgreSQL) in one Jest run (`npm run test:int`).
module.exports = { projects: ['<rootDir>/{apps,libs,tools}/*/jest.int.config.cjs'] };
