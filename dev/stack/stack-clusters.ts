import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

/** The stack's Kubernetes clusters, by the names campaigns use in selector.clusters. */
export type StackClusterName = 'local' | 'kwok-2';

export interface StackClusterLayout {
  name: StackClusterName;
  /** Under the data directory: certificates, kubeconfig, logs. */
  dir: string;
  /** The variable that hands the cluster's kubeconfig to tests and the backend (app-config.yaml). */
  kubeconfigEnv: string;
  /** Where in the shared etcd its objects live; undefined is kube-apiserver's default. */
  etcdPrefix?: string;
}

export const LOCAL_CLUSTER: StackClusterLayout = {
  name: 'local',
  dir: 'kube',
  kubeconfigEnv: 'KUBECONFIG',
};

// Not under /registry: kube-apiserver reads its keys by prefix, so the two must not nest.
export const SECOND_CLUSTER: StackClusterLayout = {
  name: 'kwok-2',
  dir: 'kube-2',
  kubeconfigEnv: 'KUBECONFIG_KWOK_2',
  etcdPrefix: '/kwok-2/registry',
};

export const STACK_CLUSTERS = [LOCAL_CLUSTER, SECOND_CLUSTER] as const;

/** The worker's SIDECAR_CLUSTERS_FILE, in the format of the backend's `sidecars.clusters`. */
export function writeClustersFile(
  path: string,
  clusters: ReadonlyArray<{ name: string; kubeconfigPath: string }>,
): void {
  writeFileSync(
    path,
    stringify({
      clusters: clusters.map(({ name, kubeconfigPath }) => ({
        name,
        authProvider: 'kubeconfig',
        kubeconfigPath,
      })),
    }),
  );
}
