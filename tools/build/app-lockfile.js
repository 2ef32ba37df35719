// An app's package-lock.json for its image, cut from the workspace's own lockfile: the entries Node's
// resolution reaches from the app's dependencies, at the paths npm installed them. Nx's generated lockfile
// is rebuilt from its own hoisting and can shadow a package: it put content-type 2.1.0 in
// @nestjs/platform-express/node_modules, where express (^1.0.5) then found it, so `npm ci` refused it.

/** The app's lockfile: the root lockfile's entries reachable from `dependencies`, none marked dev-only. */
function appLockfile(rootLock, { name, version, dependencies }) {
  const packages = { ...rootLock.packages, '': { name, version, dependencies } };
  const kept = {};
  for (const location of reachableLocations(packages)) {
    const { dev: _dev, devOptional, ...entry } = packages[location];
    kept[location] = devOptional ? { ...entry, optional: true } : entry;
  }
  return { name, version, lockfileVersion: rootLock.lockfileVersion, requires: true, packages: kept };
}

/** The locations npm installs from the root: dependencies, optional ones and non-optional peers. */
function reachableLocations(packages) {
  const reachable = new Set(['']);
  const pending = [''];
  while (pending.length > 0) {
    const from = pending.pop();
    for (const name of installedNames(packages[from])) {
      const location = resolvedLocation(packages, from, name);
      if (location !== undefined && !reachable.has(location)) {
        reachable.add(location);
        pending.push(location);
      }
    }
  }
  return reachable;
}

function installedNames(entry) {
  const optionalPeers = entry.peerDependenciesMeta ?? {};
  return [
    ...Object.keys(entry.dependencies ?? {}),
    ...Object.keys(entry.optionalDependencies ?? {}),
    ...Object.keys(entry.peerDependencies ?? {}).filter((name) => !optionalPeers[name]?.optional),
  ];
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

module.exports = { appLockfile };
