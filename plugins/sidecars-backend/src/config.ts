import type { Config } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import {
  CAMPAIGN_TASK_QUEUE,
  type FreezeWindow,
} from '@internal/plugin-sidecars-common';
import {
  parseClusterSettings,
  type ClusterSettings,
} from '@internal/plugin-sidecars-node';
import { parseFreezes } from './freezeConfig';

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  webUiUrl: string;
  tls?: {
    caFile?: string;
    certFile?: string;
    keyFile?: string;
    serverName?: string;
  };
  apiKey?: string;
}

export interface SidecarsSettings {
  temporal: TemporalSettings;
  clusters: ClusterSettings[];
  clusterTimeoutMs: number;
  fleetCacheMs: number;
  inventory: { watch: boolean; watchGraceMs: number };
  knownSidecars: ReadonlySet<string>;
  /** Live updates (Backstage Signals) and owner notifications, from a watch of Temporal visibility; intervalMs 0 turns both off. */
  changeFeed: { intervalMs: number; notifyOwners: boolean };
  /** Merged under every submitted spec. */
  campaignDefaults: JsonObject;
  /** Change freezes: no campaign in a freeze's scope starts a batch while it is on. */
  freezes: FreezeWindow[];
}

export const DEFAULT_KNOWN_SIDECARS = [
  'istio-proxy',
  'fluent-bit',
  'cloud-sql-proxy',
  'otel-collector',
  'linkerd-proxy',
  'envoy',
];

export function readSidecarsSettings(root: Config): SidecarsSettings {
  const config = root.getOptionalConfig('sidecars');
  const temporal = config?.getOptionalConfig('temporal');
  const tls = temporal?.getOptionalConfig('tls');
  const clusters = parseClusterSettings(
    config?.getOptional('clusters') ?? [],
    'sidecars.clusters',
  );

  return {
    temporal: {
      address: temporal?.getOptionalString('address') ?? 'localhost:7233',
      namespace: temporal?.getOptionalString('namespace') ?? 'default',
      taskQueue:
        temporal?.getOptionalString('taskQueue') ?? CAMPAIGN_TASK_QUEUE,
      webUiUrl: (
        temporal?.getOptionalString('webUiUrl') ?? 'http://localhost:8233'
      ).replace(/\/+$/, ''),
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
    inventory: {
      watch: config?.getOptionalBoolean('inventory.watch') ?? true,
      watchGraceMs:
        (config?.getOptionalNumber('inventory.watchGraceSeconds') ?? 10) * 1000,
    },
    knownSidecars: new Set(
      config?.getOptionalStringArray('knownSidecars') ?? DEFAULT_KNOWN_SIDECARS,
    ),
    changeFeed: {
      intervalMs: config?.getOptionalNumber('changeFeed.intervalMs') ?? 1_000,
      notifyOwners:
        config?.getOptionalBoolean('changeFeed.notifyOwners') ?? true,
    },
    campaignDefaults: config?.getOptional<JsonObject>('campaignDefaults') ?? {},
    freezes: parseFreezes(
      config?.getOptional('freezes'),
      clusters.map(c => c.name),
    ),
  };
}
