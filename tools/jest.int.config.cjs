module.exports = {
  displayName: 'tools:int',
  preset: '../jest.int.preset.js',
  testMatch: ['<rootDir>/**/*.int-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/generators/.*/files/'],
};
