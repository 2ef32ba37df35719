// `node dist/apps/persistence/migrate.js`: the migrations as a one-off job (e.g. per release).
// requiredDependenciesOnly: the image installs only what the bundles require; main.js and migrate.js require
// typeorm and pg themselves (typeorm loads its driver, pg, by name), and create-app.ts and the read API pass
// the Express adapter, so @nestjs/platform-express is among them.
module.exports = require('../../tools/build/node-app.webpack')(__dirname, {
  entries: [{ entryName: 'migrate', entryPath: './src/migrate.ts' }],
  requiredDependenciesOnly: true,
});
