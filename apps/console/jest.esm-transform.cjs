// react-router and its route-pattern dependency ship only ES modules; Jest's CommonJS runtime needs them
// compiled (by ts-jest, as the workspace preset does for cockatiel). Their `import.meta.hot` checks (Vite
// HMR) have no CommonJS equivalent and are false outside Vite's dev server.
const { join } = require('node:path');
const { TsJestTransformer } = require('ts-jest');

const tsJest = new TsJestTransformer({
  tsconfig: join(__dirname, '../../tools/test/tsconfig.esm-packages.json'),
});
const withoutImportMeta = (source) => source.replace(/import\.meta\.hot/g, 'undefined');

module.exports = {
  process: (source, path, options) => tsJest.process(withoutImportMeta(source), path, options),
  getCacheKey: (source, path, options) => tsJest.getCacheKey(withoutImportMeta(source), path, options),
};
