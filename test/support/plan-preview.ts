import {
  CampaignPlanner,
  createClusterReaders,
} from '@internal/plugin-sidecars-backend/testUtils';

/** The backend's plan preview over the test cluster (KUBECONFIG), named "local" as the worker names it. */
export function localPlanner(
  isCampaignActive: (campaignId: string) => Promise<boolean>,
): CampaignPlanner {
  return new CampaignPlanner(
    createClusterReaders(
      [
        {
          name: 'local',
          authProvider: 'kubeconfig',
          kubeconfigPath: process.env.KUBECONFIG!,
          skipTLSVerify: false,
        },
      ],
      10_000,
      isCampaignActive,
    ),
    10_000,
  );
}
