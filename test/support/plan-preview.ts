import {
  CampaignPlanner,
  createClusterReaders,
} from '@internal/plugin-sidecars-backend/testUtils';
import type { StackClusterName } from '@internal/dev-stack/stack/stack-clusters';
import { stackKubeconfigPath } from './cluster';

/**
 * The backend's plan preview over the test stack's clusters, named as the worker names them. Only
 * `local` unless `clusters` says more: a preview over clusters the claiming worker does not know
 * is a plan change by itself, so it lists those the test's activities know.
 */
export function localPlanner(
  isCampaignActive: (campaignId: string) => Promise<boolean>,
  clusters: readonly StackClusterName[] = ['local'],
): CampaignPlanner {
  return new CampaignPlanner(
    createClusterReaders(
      clusters.map(name => ({
        name,
        authProvider: 'kubeconfig',
        kubeconfigPath: stackKubeconfigPath(name),
        skipTLSVerify: false,
      })),
      10_000,
      isCampaignActive,
    ),
    10_000,
  );
}
