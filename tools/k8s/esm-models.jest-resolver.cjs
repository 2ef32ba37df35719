// @kubernetes-models/strimzi-kafka-operator and @kubernetes-models/gateway-api (with the copies of their
// own dependencies npm nests under them) are ES modules whose exports offer only an `import` condition.
// Jest runs CommonJS: what they import resolves through `require` when it can (the CommonJS build of a
// dual package) and through `import` otherwise, and tools/jest.config.cjs compiles the files under
// ESM_MODELS to CommonJS (ts-jest with tsconfig.esm-models.json). Every other request resolves as in the
// other projects.
const nxResolver = require('@nx/jest/plugins/resolver');

const ESM_MODELS = /[\\/]node_modules[\\/]@kubernetes-models[\\/](strimzi-kafka-operator|gateway-api)[\\/]/;
const ESM_MODEL_PACKAGE = /^@kubernetes-models\/(strimzi-kafka-operator|gateway-api)(\/|$)/;

module.exports = function resolve(request, options) {
  if (!ESM_MODEL_PACKAGE.test(request) && !ESM_MODELS.test(options.basedir + '/')) {
    return nxResolver(request, options);
  }
  try {
    return options.defaultResolver(request, options);
  } catch {
    return options.defaultResolver(request, { ...options, conditions: ['import', 'default'] });
  }
};

module.exports.ESM_MODELS = ESM_MODELS;
