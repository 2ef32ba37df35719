// The webpack build every app shares (Nx's NxAppWebpackPlugin for Node): one bundle per app in
// dist/apps/<name>, node_modules left external but for the tree-shaken packages (below), and a
// package.json/lockfile with only the app's production dependencies for its image (the lockfile cut from
// the workspace's: app-lockfile.js).
// `entries` adds entry points (e.g. a migration job); `requiredDependenciesOnly` trims that package.json
// and lockfile to what the bundles require (see below: an app opts in once nothing it needs is loaded by
// name only, as typeorm loads its database driver).
// `treeShaken` packages are bundled with only the exports the app uses. class-validator, by default: its
// index loads every decorator, and with them libphonenumber-js's full metadata and ~110 modules of validator
// (~320 modules in all) into every process that validates its config with a dozen decorators. Its
// maintainers' answer is to bundle it (typestack/class-validator#1803); the apps' tsconfig.app.json emit ES
// modules so that webpack sees which names are imported. @opentelemetry/semantic-conventions too: its
// CommonJS index defines every attribute name, incubating ones included (~380 KiB of source), where its
// side-effect-free ES build gives the bundle only the stable attributes module (~80 KiB).
// An app whose packages load one by name (Nest's ValidationPipe requires class-validator) opts out with
// `treeShaken: []`.
// `shims` maps a package to a file of its own with the same API that the bundle takes instead (bundled, so
// the image need not install the package), e.g. @nestjs/swagger's decorator shim where the document is
// generated at build time. A path, not a specifier: packages do not export their shims.
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { readFileSync } = require('node:fs');
const { basename, join } = require('node:path');
const { appLockfile } = require('./app-lockfile');

const ROOT_LOCKFILE = join(__dirname, '../../package-lock.json');
const ROOT_NODE_MODULES = join(__dirname, '../../node_modules');

module.exports = function nodeAppWebpackConfig(
  appDir,
  {
    entries = [],
    requiredDependenciesOnly = false,
    treeShaken = ['class-validator', '@opentelemetry/semantic-conventions'],
    shims = {},
  } = {},
) {
  return {
    externals: [externalUnlessBundled(new Set([...withDependencies(treeShaken), ...Object.keys(shims)]))],
    resolve: { alias: shimAliases(shims) },
    optimization: { usedExports: true },
    output: { path: join(appDir, '../../dist/apps', basename(appDir)), clean: true },
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        additionalEntryPoints: entries,
        tsConfig: './tsconfig.app.json',
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: true,
        sourceMap: true,
        externalDependencies: 'none',
        mergeExternals: true,
      }),
      new AppManifestPlugin({ requiredDependenciesOnly }),
    ],
  };
};

/** The packages and what they depend on, which the image then need not install. */
function withDependencies(packages) {
  const names = new Set(packages);
  for (const name of packages) {
    const { dependencies = {} } = JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8'));
    Object.keys(dependencies).forEach((dependency) => names.add(dependency));
  }
  return names;
}

/** Exact-match aliases from each shimmed package to its shim file. */
function shimAliases(shims) {
  return Object.fromEntries(
    Object.entries(shims).map(([name, file]) => [`${name}$`, join(packageDir(name), file)]),
  );
}

/** A workspace package's folder (read by path: a package's `exports` may not list its package.json). */
function packageDir(name) {
  return join(ROOT_NODE_MODULES, name);
}

/** Every package import stays a `require` of node_modules, except the bundled packages' own. */
function externalUnlessBundled(bundled) {
  return ({ request }, callback) => {
    const isPackage = !/^[./]/.test(request) && !request.startsWith('@lead-delivery/');
    if (!isPackage || bundled.has(packageName(request))) return callback();
    callback(null, `commonjs ${request}`);
  };
}

function packageName(request) {
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Nx lists every npm dependency of the app's project graph, the optional peers of its libraries included
 * (typeorm, @nestjs/typeorm, @nestjs/microservices for an app that requires none of them); an installed
 * optional peer is then loaded by the packages that probe for it (@nestjs/core loads ~100 modules of
 * @nestjs/microservices when it is there). With `requiredDependenciesOnly` this keeps in package.json only
 * the packages the bundles require. The lockfile is then cut from the workspace's for those dependencies,
 * so `npm ci` installs exactly them.
 */
class AppManifestPlugin {
  constructor({ requiredDependenciesOnly }) {
    this.requiredDependenciesOnly = requiredDependenciesOnly;
  }

  apply(compiler) {
    const { Compilation, sources } = compiler.webpack;
    const write = (compilation, name, value) =>
      compilation.updateAsset(name, new sources.RawSource(JSON.stringify(value, null, 2)));
    compiler.hooks.thisCompilation.tap('AppManifestPlugin', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'AppManifestPlugin', stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONS },
        () => {
          const packageJsonAsset = compilation.getAsset('package.json');
          if (!packageJsonAsset) return;
          const packageJson = JSON.parse(packageJsonAsset.source.source().toString());
          if (this.requiredDependenciesOnly) {
            packageJson.dependencies = keepOnly(packageJson.dependencies, requiredPackages(compilation));
            write(compilation, 'package.json', packageJson);
          }
          if (!compilation.getAsset('package-lock.json')) return;
          const rootLock = JSON.parse(readFileSync(ROOT_LOCKFILE, 'utf8'));
          write(compilation, 'package-lock.json', appLockfile(rootLock, packageJson));
        },
      );
    });
  }
}

/** Names of the packages the compilation leaves external (static and dynamic imports alike). */
function requiredPackages(compilation) {
  const names = new Set();
  for (const module of compilation.modules) {
    if (module.constructor.name !== 'ExternalModule' || typeof module.request !== 'string') continue;
    names.add(packageName(module.request));
  }
  return names;
}

function keepOnly(dependencies = {}, names) {
  return Object.fromEntries(Object.entries(dependencies).filter(([name]) => names.has(name)));
}
