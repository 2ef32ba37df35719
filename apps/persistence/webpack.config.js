// `node dist/apps/persistence/migrate.js`: the migrations as a one-off job (e.g. per release).
module.exports = require('../../tools/build/node-app.webpack')(__dirname, {
  entries: [{ entryName: 'migrate', entryPath: './src/migrate.ts' }],
});
