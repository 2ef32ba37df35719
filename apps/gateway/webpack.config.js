// `node dist/apps/gateway/migrate.js`: the outbox migrations as a one-off job.
module.exports = require('../../tools/build/node-app.webpack')(__dirname, {
  entries: [{ entryName: 'migrate', entryPath: './src/outbox/migrate.cli.ts' }],
  requiredDependenciesOnly: true,
});
