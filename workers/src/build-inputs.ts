import {
  mkdirSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder of an installed package (the workspace packages resolve to their sources). */
export const packageDir = (name: string) =>
  dirname(require.resolve(`${name}/package.json`));

/** A package's TypeScript sources, tests left out. */
export function sourceFiles(packageName: string): string[] {
  const dir = join(packageDir(packageName), 'src');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(file => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file))
    .map(file => join(dir, file));
}

/** The repository's lockfile: a changed dependency changes what a build contains. */
export const lockfile = () =>
  join(packageDir('@internal/sidecar-workers'), '..', 'package-lock.json');

const modifiedAt = (path: string) =>
  statSync(path, { throwIfNoEntry: false })?.mtimeMs;

/** True if `output` exists and is newer than every one of `inputs`. */
export function isFresh(output: string, inputs: string[]): boolean {
  const built = modifiedAt(output);
  return (
    built !== undefined &&
    built >= Math.max(...inputs.map(path => modifiedAt(path) ?? 0))
  );
}

/** Replaces `path` at once, so a process starting meanwhile reads either the old file or the new one. */
export function writeAtomically(
  path: string,
  contents: string | Uint8Array,
): void {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, contents);
  renameSync(partial, path);
}
