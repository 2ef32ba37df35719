// Jest's globalSetup runs outside Jest's module resolver, so the workspace path aliases
// (@lead-delivery/*) are registered here for it; Jest still transpiles the TypeScript it loads.
import { join } from 'node:path';
import { register } from 'tsconfig-paths';

const root = join(__dirname, '..', '..');
const { compilerOptions } = require(join(root, 'tsconfig.base.json')) as {
  compilerOptions: { paths: Record<string, string[]> };
};
register({ baseUrl: root, paths: compilerOptions.paths });
