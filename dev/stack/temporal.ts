import { TestWorkflowEnvironment } from '@temporalio/testing';
import { binaryPath } from './binaries';
import { assertPortFree } from './ports';
import { CAMPAIGN_SEARCH_ATTRIBUTE_KEYS } from '@internal/sidecar-workflows/src/search-attributes';

export interface TemporalOptions {
  port: number;
  uiPort: number;
  /** Persistent SQLite file; omitted means an in-memory, throwaway server. */
  dbFilename?: string;
  /**
   * History length at which Temporal suggests continue-as-new (the server's default is 4,096).
   * Tests lower it so campaigns of a few dozen pods already cross runs.
   */
  suggestContinueAsNewAfterEvents?: number;
}

export interface RunningTemporal {
  address: string;
  uiUrl: string;
  namespace: string;
  stop(): Promise<void>;
}

/** The real Temporal dev server (the Temporal CLI built by tools/build-stack.sh), Web UI on. */
export async function startTemporal(
  options: TemporalOptions,
): Promise<RunningTemporal> {
  await assertPortFree(options.port, 'Temporal frontend gRPC');
  await assertPortFree(options.uiPort, 'Temporal Web UI');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: binaryPath('temporal') },
      ip: '127.0.0.1',
      port: options.port,
      ui: true,
      uiPort: options.uiPort,
      dbFilename: options.dbFilename,
      searchAttributes: CAMPAIGN_SEARCH_ATTRIBUTE_KEYS,
      extraArgs: options.suggestContinueAsNewAfterEvents
        ? [
            '--dynamic-config-value',
            `limit.historyCount.suggestContinueAsNew=${options.suggestContinueAsNewAfterEvents}`,
          ]
        : [],
    },
  });
  return {
    address: `127.0.0.1:${options.port}`,
    uiUrl: `http://localhost:${options.uiPort}`,
    namespace: env.namespace ?? 'default',
    stop: () => env.teardown(),
  };
}
