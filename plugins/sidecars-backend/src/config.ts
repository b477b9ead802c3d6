import type { Config } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { CAMPAIGN_TASK_QUEUE } from '@internal/plugin-sidecars-common';

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  webUiUrl: string;
  tls?: { caFile?: string; certFile?: string; keyFile?: string; serverName?: string };
  apiKey?: string;
}

export type ClusterAuthProvider = 'serviceAccount' | 'kubeconfig' | 'inCluster';

export interface ClusterSettings {
  name: string;
  authProvider: ClusterAuthProvider;
  url?: string;
  serviceAccountToken?: string;
  kubeconfigPath?: string;
  context?: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
}

export interface SidecarsSettings {
  temporal: TemporalSettings;
  clusters: ClusterSettings[];
  clusterTimeoutMs: number;
  fleetCacheMs: number;
  knownSidecars: ReadonlySet<string>;
  /** Merged under every submitted spec. */
  campaignDefaults: JsonObject;
}

export const DEFAULT_KNOWN_SIDECARS = ['istio-proxy', 'fluent-bit', 'cloud-sql-proxy', 'otel-collector', 'linkerd-proxy', 'envoy'];

const AUTH_PROVIDERS: readonly ClusterAuthProvider[] = ['serviceAccount', 'kubeconfig', 'inCluster'];

function readCluster(config: Config): ClusterSettings {
  const name = config.getString('name');
  const authProvider = config.getString('authProvider');
  if (!AUTH_PROVIDERS.includes(authProvider as ClusterAuthProvider)) {
    throw new Error(`sidecars.clusters "${name}": authProvider must be one of ${AUTH_PROVIDERS.join(', ')}, got "${authProvider}"`);
  }
  const cluster: ClusterSettings = {
    name,
    authProvider: authProvider as ClusterAuthProvider,
    url: config.getOptionalString('url'),
    serviceAccountToken: config.getOptionalString('serviceAccountToken'),
    kubeconfigPath: config.getOptionalString('kubeconfigPath'),
    context: config.getOptionalString('context'),
    caData: config.getOptionalString('caData'),
    caFile: config.getOptionalString('caFile'),
    skipTLSVerify: config.getOptionalBoolean('skipTLSVerify') ?? false,
  };
  if (cluster.authProvider === 'serviceAccount' && (!cluster.url || !cluster.serviceAccountToken)) {
    throw new Error(`sidecars.clusters "${name}": authProvider serviceAccount needs url and serviceAccountToken`);
  }
  if (cluster.authProvider === 'kubeconfig' && !cluster.kubeconfigPath) {
    throw new Error(`sidecars.clusters "${name}": authProvider kubeconfig needs kubeconfigPath`);
  }
  return cluster;
}

export function readSidecarsSettings(root: Config): SidecarsSettings {
  const config = root.getOptionalConfig('sidecars');
  const temporal = config?.getOptionalConfig('temporal');
  const tls = temporal?.getOptionalConfig('tls');
  const clusters = (config?.getOptionalConfigArray('clusters') ?? []).map(readCluster);
  const names = clusters.map(c => c.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`sidecars.clusters: the cluster name "${duplicate}" appears twice`);

  return {
    temporal: {
      address: temporal?.getOptionalString('address') ?? 'localhost:7233',
      namespace: temporal?.getOptionalString('namespace') ?? 'default',
      taskQueue: temporal?.getOptionalString('taskQueue') ?? CAMPAIGN_TASK_QUEUE,
      webUiUrl: (temporal?.getOptionalString('webUiUrl') ?? 'http://localhost:8233').replace(/\/+$/, ''),
      ...(tls
        ? {
            tls: {
              caFile: tls.getOptionalString('caFile'),
              certFile: tls.getOptionalString('certFile'),
              keyFile: tls.getOptionalString('keyFile'),
              serverName: tls.getOptionalString('serverName'),
            },
          }
        : {}),
      apiKey: temporal?.getOptionalString('apiKey'),
    },
    clusters,
    clusterTimeoutMs: config?.getOptionalNumber('clusterTimeoutMs') ?? 5_000,
    fleetCacheMs: (config?.getOptionalNumber('fleetCacheSeconds') ?? 30) * 1000,
    knownSidecars: new Set(config?.getOptionalStringArray('knownSidecars') ?? DEFAULT_KNOWN_SIDECARS),
    campaignDefaults: (config?.getOptional<JsonObject>('campaignDefaults') ?? {}),
  };
}
