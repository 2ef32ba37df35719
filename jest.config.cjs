// Every project's unit tests in one Jest run (`npm run test:unit`); `nx test <project>` runs one.
module.exports = { projects: ['<rootDir>/{apps,libs}/*/jest.config.cjs', '<rootDir>/tools/jest.config.cjs'] };
