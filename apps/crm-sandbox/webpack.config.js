// requiredDependenciesOnly: the image installs only what the bundle requires (no typeorm, kafkajs, pg);
// create-app.ts passes the Express adapter itself, so @nestjs/platform-express is among them.
// treeShaken: not class-validator, since Nest's ValidationPipe (the seed, fault and admin endpoints) loads
// it by name.
module.exports = require('../../tools/build/node-app.webpack')(__dirname, {
  requiredDependenciesOnly: true,
  treeShaken: ['@opentelemetry/semantic-conventions'],
});
