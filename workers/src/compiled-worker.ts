import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { isFresh, lockfile, sourceFiles, writeAtomically } from './build-inputs';

/**
 * `workers/src/main.ts` and the workspace packages it imports, compiled to one CommonJS file
 * (git-ignored). Node loads it and the npm packages without a TypeScript loader, which makes the
 * worker start several times faster than under tsx.
 */
export const COMPILED_WORKER_PATH = join(__dirname, '..', 'dist', 'main.js');

const WORKSPACE_PACKAGES = ['@internal/sidecar-workers', '@internal/sidecar-workflows', '@internal/plugin-sidecars-common', '@internal/plugin-sidecars-node'];

/** npm packages stay `require`s; only the workspace's TypeScript is compiled in. */
const npmPackagesExternal: Plugin = {
  name: 'npm-packages-external',
  setup(plugin) {
    plugin.onResolve({ filter: /^[^./]/ }, ({ path }) => (path.startsWith('@internal/') ? undefined : { path, external: true }));
  },
};

export function freshCompiledWorker(): string | undefined {
  return isFresh(COMPILED_WORKER_PATH, [...WORKSPACE_PACKAGES.flatMap(sourceFiles), lockfile()]) ? COMPILED_WORKER_PATH : undefined;
}

/** Compiles the worker unless a fresh build exists. */
export async function ensureCompiledWorker(log: (line: string) => void): Promise<void> {
  if (freshCompiledWorker()) return;
  const started = Date.now();
  const result = await build({
    entryPoints: [join(__dirname, 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    sourcemap: 'inline',
    write: false,
    outfile: COMPILED_WORKER_PATH,
    plugins: [npmPackagesExternal],
    // The workflow sources are read by the workflow bundler at run time, not compiled in.
    external: ['@internal/sidecar-workflows/src/workflows.ts'],
    logLevel: 'warning',
  });
  writeAtomically(COMPILED_WORKER_PATH, result.outputFiles[0]!.contents);
  log(`worker compiled to ${COMPILED_WORKER_PATH} in ${Date.now() - started} ms`);
}
