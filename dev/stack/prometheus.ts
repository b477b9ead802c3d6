import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { ProcessGroup } from './processes';
import { supervise } from './supervisor';
import { waitFor } from './wait';

/** Debian's prometheus package; scripts/run.sh installs it on the first run. */
export const PROMETHEUS_BINARY = '/usr/bin/prometheus';

export interface RunningPrometheus {
  url: string;
  /** Scrape targets in file_sd format (`[{"targets":["127.0.0.1:PORT"],"labels":{…}}]`) put here, as `*.json`, are scraped within a second or two. */
  targetsDir: string;
}

/** The stack's scrape interval: short, so a metric the tests change shows in a query within seconds. */
const SCRAPE_INTERVAL = '1s';

function prometheusConfig(podExporter: string, targetsDir: string): string {
  return stringify({
    global: {
      scrape_interval: SCRAPE_INTERVAL,
      evaluation_interval: SCRAPE_INTERVAL,
    },
    scrape_configs: [
      {
        job_name: 'sidecar-pods',
        static_configs: [{ targets: [podExporter] }],
      },
      {
        job_name: 'stack-targets',
        file_sd_configs: [
          { files: [join(targetsDir, '*.json')], refresh_interval: '1s' },
        ],
      },
    ],
  });
}

/**
 * A real Prometheus for the metric gates, supervised like the worker: its config and TSDB in
 * `dir`, listening on 127.0.0.1:`port`, scraping the pod exporter and any target put in
 * `targetsDir`, every second. No network beyond the loopback and no systemd.
 */
export async function startPrometheus(
  group: ProcessGroup,
  options: { dir: string; port: number; podExporterPort: number },
  log: (line: string) => void,
): Promise<RunningPrometheus> {
  try {
    accessSync(PROMETHEUS_BINARY, constants.X_OK);
  } catch {
    throw new Error(
      `${PROMETHEUS_BINARY} is missing: install Debian's prometheus package (apt-get install prometheus), as scripts/run.sh does on the first run`,
    );
  }
  const targetsDir = join(options.dir, 'targets');
  mkdirSync(targetsDir, { recursive: true });
  const configFile = join(options.dir, 'prometheus.yml');
  writeFileSync(
    configFile,
    prometheusConfig(`127.0.0.1:${options.podExporterPort}`, targetsDir),
  );
  const url = `http://127.0.0.1:${options.port}`;
  const ready = async () => {
    try {
      return (
        await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) })
      ).ok;
    } catch {
      return false;
    }
  };
  const supervised = supervise(
    group,
    {
      name: 'prometheus',
      command: PROMETHEUS_BINARY,
      args: () => [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(options.dir, 'data')}`,
        `--storage.tsdb.retention.time=1d`,
        `--web.listen-address=127.0.0.1:${options.port}`,
      ],
      logFile: join(options.dir, 'prometheus.log'),
    },
    log,
  );
  await group.untilReady(
    supervised.current,
    waitFor(ready, { what: `Prometheus at ${url}`, timeoutMs: 30_000 }),
  );
  return { url, targetsDir };
}
