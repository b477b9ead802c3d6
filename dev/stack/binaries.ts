import { accessSync, constants, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');

export type StackBinary =
  | 'temporal'
  | 'etcd'
  | 'kwok'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler';

const VERSION_KEYS: Record<StackBinary, string> = {
  temporal: 'TEMPORAL_CLI_VERSION',
  etcd: 'ETCD_VERSION',
  kwok: 'KWOK_VERSION',
  'kube-apiserver': 'KUBERNETES_VERSION',
  'kube-controller-manager': 'KUBERNETES_VERSION',
  'kube-scheduler': 'KUBERNETES_VERSION',
};

export function pinnedVersions(): Record<string, string> {
  const text = readFileSync(join(REPO_ROOT, 'tools/versions.env'), 'utf8');
  const entries = text
    .split('\n')
    .map(line => line.trim())
    .filter(line => line && !line.startsWith('#'))
    .map(line => line.split('=', 2) as [string, string]);
  return Object.fromEntries(entries);
}

/** Where tools/build-stack.sh puts the binaries (it prints the same path). */
export function binDir(): string {
  if (process.env.SIDECAR_CAMPAIGNS_BIN)
    return process.env.SIDECAR_CAMPAIGNS_BIN;
  const cache =
    process.env.SIDECAR_CAMPAIGNS_CACHE ??
    join(
      process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
      'sidecar-campaigns',
    );
  return join(cache, 'bin');
}

export function binaryPath(binary: StackBinary): string {
  const version = pinnedVersions()[VERSION_KEYS[binary]];
  const path = join(binDir(), `${binary}-${version}`);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(
      `${binary} ${version} is missing at ${path}: run \`npm run stack:build\` (tools/build-stack.sh) to build it`,
    );
  }
  return path;
}
