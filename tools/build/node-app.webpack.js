// The webpack build every app shares (Nx's NxAppWebpackPlugin for Node): one bundle per app in
// dist/apps/<name>, node_modules left external, and a package.json/lockfile with only the app's
// production dependencies for its image. `entries` adds entry points (e.g. a migration job);
// `requiredDependenciesOnly` trims that package.json and lockfile to what the bundles require (see below: an
// app opts in once nothing it needs is loaded by name only, as typeorm loads its database driver).
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { basename, join } = require('node:path');

module.exports = function nodeAppWebpackConfig(
  appDir,
  { entries = [], requiredDependenciesOnly = false } = {},
) {
  return {
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
      }),
      ...(requiredDependenciesOnly ? [new KeepRequiredDependenciesPlugin()] : []),
    ],
  };
};

/**
 * Nx lists every npm dependency of the app's project graph, the optional peers of its libraries included
 * (typeorm, @nestjs/typeorm, @nestjs/microservices for an app that requires none of them); an installed
 * optional peer is then loaded by the packages that probe for it (@nestjs/core loads ~100 modules of
 * @nestjs/microservices when it is there). This keeps in package.json only the packages the bundles
 * require, and in the lockfile only what those need, so `npm ci` installs nothing else.
 */
class KeepRequiredDependenciesPlugin {
  apply(compiler) {
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap('KeepRequiredDependenciesPlugin', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'KeepRequiredDependenciesPlugin', stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONS },
        () => {
          const packageJsonAsset = compilation.getAsset('package.json');
          const lockAsset = compilation.getAsset('package-lock.json');
          if (!packageJsonAsset) return;
          const required = requiredPackages(compilation);
          const packageJson = JSON.parse(packageJsonAsset.source.source().toString());
          packageJson.dependencies = keepOnly(packageJson.dependencies, required);
          compilation.updateAsset(
            'package.json',
            new sources.RawSource(JSON.stringify(packageJson, null, 2)),
          );
          if (!lockAsset) return;
          const lock = JSON.parse(lockAsset.source.source().toString());
          lock.packages[''].dependencies = packageJson.dependencies;
          lock.packages = reachablePackages(lock.packages);
          compilation.updateAsset('package-lock.json', new sources.RawSource(JSON.stringify(lock, null, 2)));
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
    const parts = module.request.split('/');
    names.add(module.request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
  }
  return names;
}

function keepOnly(dependencies = {}, names) {
  return Object.fromEntries(Object.entries(dependencies).filter(([name]) => names.has(name)));
}

/** The lockfile entries npm installs from the root: dependencies, optional ones and non-optional peers. */
function reachablePackages(packages) {
  const reachable = new Set(['']);
  const pending = [''];
  while (pending.length > 0) {
    const from = pending.pop();
    const entry = packages[from];
    const optionalPeers = entry.peerDependenciesMeta ?? {};
    const names = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((name) => !optionalPeers[name]?.optional),
    ];
    for (const name of names) {
      const location = resolvedLocation(packages, from, name);
      if (location !== undefined && !reachable.has(location)) {
        reachable.add(location);
        pending.push(location);
      }
    }
  }
  return Object.fromEntries(Object.entries(packages).filter(([location]) => reachable.has(location)));
}

/** Where Node finds `name` from the package at `from`: its own node_modules, then its ancestors'. */
function resolvedLocation(packages, from, name) {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (base === '') return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent === -1 ? '' : base.slice(0, parent);
  }
}
