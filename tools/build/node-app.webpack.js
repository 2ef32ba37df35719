// The webpack build every app shares (Nx's NxAppWebpackPlugin for Node): one bundle per app in
// dist/apps/<name>, node_modules left external, and a package.json/lockfile with only the app's
// production dependencies for its image. `entries` adds entry points (e.g. a migration job).
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { basename, join } = require('node:path');

module.exports = function nodeAppWebpackConfig(appDir, { entries = [] } = {}) {
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
    ],
  };
};
