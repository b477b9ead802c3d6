import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { z } from 'zod';
import { PooledKubeConfig } from './kube/pooledKubeConfig';

// One format for the clusters the backend reads (`sidecars.clusters` in app-config) and the worker
// acts on (the YAML file named by SIDECAR_CLUSTERS_FILE), so a cluster is named and reached the
// same way on both sides.

const clusterSchema = z
  .object({
    name: z
      .string()
      .min(
        1,
        'a cluster needs a name: the name campaigns use in selector.clusters',
      ),
    authProvider: z.enum(['serviceAccount', 'kubeconfig', 'inCluster']),
    /** API server URL; required for serviceAccount, overrides the kubeconfig's server otherwise. */
    url: z.string().optional(),
    serviceAccountToken: z.string().optional(),
    /** A kubeconfig file; without it, authProvider kubeconfig follows the default loading rules (KUBECONFIG, ~/.kube/config). */
    kubeconfigPath: z.string().optional(),
    context: z.string().optional(),
    caData: z.string().optional(),
    caFile: z.string().optional(),
    skipTLSVerify: z.boolean().default(false),
  })
  .strict()
  .superRefine((cluster, ctx) => {
    if (cluster.authProvider === 'serviceAccount') {
      for (const field of ['url', 'serviceAccountToken'] as const) {
        if (!cluster[field])
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `authProvider serviceAccount needs ${field}`,
          });
      }
    }
  });

const clusterListSchema = z
  .array(clusterSchema)
  .superRefine((clusters, ctx) => {
    const seen = new Set<string>();
    clusters.forEach((cluster, i) => {
      if (seen.has(cluster.name))
        ctx.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: `the cluster name "${cluster.name}" appears twice: names must be unique`,
        });
      seen.add(cluster.name);
    });
  });

export type ClusterSettings = z.infer<typeof clusterSchema>;
export type ClusterAuthProvider = ClusterSettings['authProvider'];

/** Validates a list of cluster settings; an error names `where`, the field and what to fix. */
export function parseClusterSettings(
  value: unknown,
  where: string,
): ClusterSettings[] {
  const parsed = clusterListSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    issue => `${[where, ...issue.path].join('.')}: ${issue.message}`,
  );
  throw new Error(`invalid cluster settings: ${problems.join('; ')}`);
}

/** Clusters from a YAML file of the form `clusters: [{ name, authProvider, ... }]` (the worker's SIDECAR_CLUSTERS_FILE). */
export function readClustersFile(file: string): ClusterSettings[] {
  const document = parse(readFileSync(file, 'utf8')) as {
    clusters?: unknown;
  } | null;
  const clusters = parseClusterSettings(
    document?.clusters ?? [],
    `${file}: clusters`,
  );
  if (clusters.length === 0)
    throw new Error(
      `${file}: expected a non-empty "clusters" list of { name, authProvider, kubeconfigPath?, context?, url?, ... }`,
    );
  return clusters;
}

export function kubeConfigFor(cluster: ClusterSettings): KubeConfig {
  const kc = new PooledKubeConfig();
  switch (cluster.authProvider) {
    case 'inCluster':
      kc.loadFromCluster();
      break;
    case 'kubeconfig':
      if (cluster.kubeconfigPath)
        kc.loadFromFile(resolve(cluster.kubeconfigPath));
      else kc.loadFromDefault();
      if (cluster.context) kc.setCurrentContext(cluster.context);
      break;
    case 'serviceAccount':
      kc.loadFromOptions({
        clusters: [
          {
            name: cluster.name,
            server: cluster.url ?? '',
            caData: cluster.caData,
            caFile: cluster.caFile,
            skipTLSVerify: cluster.skipTLSVerify,
          },
        ],
        users: [
          { name: `${cluster.name}-sa`, token: cluster.serviceAccountToken },
        ],
        contexts: [
          {
            name: cluster.name,
            cluster: cluster.name,
            user: `${cluster.name}-sa`,
          },
        ],
        currentContext: cluster.name,
      });
      break;
    default: {
      const unknown: never = cluster.authProvider;
      throw new Error(`${cluster.name}: unknown authProvider "${unknown}"`);
    }
  }
  const current = kc.getCurrentCluster();
  if (current && (cluster.url || cluster.skipTLSVerify)) {
    kc.clusters = kc.clusters.map(c =>
      c.name === current.name
        ? {
            ...c,
            server: cluster.url ?? c.server,
            skipTLSVerify: c.skipTLSVerify || cluster.skipTLSVerify,
          }
        : c,
    );
  }
  return kc;
}

export interface NamedClusters {
  /** Where the names come from, e.g. "the backend's sidecars.clusters". */
  source: string;
  names: readonly string[];
}

/**
 * Where two sides (the backend and a worker) both know their clusters, they must know the same
 * names: a campaign planned over one set and run over another is not the campaign that was shown.
 */
export function clusterNamesDisagreement(
  a: NamedClusters,
  b: NamedClusters,
): string | undefined {
  const onlyA = a.names.filter(name => !b.names.includes(name));
  const onlyB = b.names.filter(name => !a.names.includes(name));
  if (onlyA.length === 0 && onlyB.length === 0) return undefined;
  const side = (names: string[], where: NamedClusters, other: NamedClusters) =>
    names.length > 0
      ? [
          `${names.map(n => `"${n}"`).join(', ')} only in ${where.source}, not in ${other.source}`,
        ]
      : [];
  return `cluster names disagree: ${[...side(onlyA, a, b), ...side(onlyB, b, a)].join('; ')}: give each cluster the same name on both sides`;
}
