// `node dist/apps/persistence/migrate.js`: the migrations as a one-off job (e.g. per release).
// requiredDependenciesOnly: the image installs only what the bundles require; main.js and migrate.js require
// typeorm and pg themselves (typeorm loads its driver, pg, by name), and create-app.ts and the read API pass
// the Express adapter, so @nestjs/platform-express is among them.
// The read API serves its committed OpenAPI document, so its controllers' `@Api*` decorators need only
// @nestjs/swagger's shim at run time: its document generator (~100 modules, lodash and js-yaml among them,
// ~6 MiB of RSS) stays out of the image.
module.exports = require('../../tools/build/node-app.webpack')(__dirname, {
  entries: [{ entryName: 'migrate', entryPath: './src/migrate.ts' }],
  requiredDependenciesOnly: true,
  shims: { '@nestjs/swagger': 'dist/extra/swagger-shim.js' },
});
