import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { binaryPath } from './binaries';
import { freePort } from './ports';
import type { ProcessGroup } from './processes';
import { waitFor } from './wait';

export interface RunningEtcd {
  url: string;
}

const STARTUP_TIMEOUT_MS = 90_000;

/** One etcd for every control plane of the stack; each kube-apiserver keeps its objects under a prefix of its own. */
export async function startEtcd(
  group: ProcessGroup,
  dir: string,
): Promise<RunningEtcd> {
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const port = await freePort();
  const peerPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const etcd = group.start(
    'etcd',
    binaryPath('etcd'),
    [
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${url}`,
      `--advertise-client-urls=${url}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=default=http://127.0.0.1:${peerPort}`,
      '--name=default',
      '--unsafe-no-fsync',
      // etcd's largest recommended quota (the default is 2 GiB): a 100,000-pod bench fleet writes more between compactions.
      '--quota-backend-bytes=8589934592',
      '--log-level=warn',
    ],
    join(dir, 'logs', 'etcd.log'),
  );
  await group.untilReady(
    etcd,
    waitFor(async () => (await fetch(`${url}/health`)).ok, {
      what: 'etcd /health',
      timeoutMs: STARTUP_TIMEOUT_MS,
    }),
  );
  return { url };
}
