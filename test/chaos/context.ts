import type { TemporalSettings } from '@internal/sidecar-workers';
import type { TestCluster } from '../support/cluster';

/** What every scenario gets: the cluster (a direct connection), Temporal, and a log line printer. */
export interface ChaosContext {
  cluster: TestCluster;
  temporal: TemporalSettings;
  /** Variables that point a worker or the backend at the stack. */
  env: Record<string, string>;
  /** A directory for the scenario's files (kubeconfigs, Temporal's database). */
  workDir: string;
  log(line: string): void;
}
