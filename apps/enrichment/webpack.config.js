// requiredDependenciesOnly: the image installs only what the bundle requires (no typeorm, pg);
// create-app.ts passes the Express adapter itself, so @nestjs/platform-express is among them.
module.exports = require('../../tools/build/node-app.webpack')(__dirname, { requiredDependenciesOnly: true });
