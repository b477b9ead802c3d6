import semver from 'semver';
import { imageVersion } from '@internal/plugin-sidecars-common';

/** The version an image reference names: its tag, else a digest prefix, else "latest". */
export const versionOf = imageVersion;

const coerced = (version: string) =>
  version.startsWith('sha256:')
    ? null
    : semver.coerce(version, { loose: true, includePrerelease: true });

/** Orders versions oldest first: semver-aware when both read as versions (1.9 < 1.10), else by text. */
export function compareVersions(a: string, b: string): number {
  const va = coerced(a);
  const vb = coerced(b);
  if (va && vb) {
    const bySemver = semver.compare(va, vb);
    if (bySemver !== 0) return bySemver;
  }
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

/** Whether two versions can be ordered meaningfully (digests cannot). */
export const isComparable = (version: string) => coerced(version) !== null;

export function newestVersion(versions: Iterable<string>): string | undefined {
  let newest: string | undefined;
  for (const version of versions)
    if (newest === undefined || compareVersions(version, newest) > 0)
      newest = version;
  return newest;
}
