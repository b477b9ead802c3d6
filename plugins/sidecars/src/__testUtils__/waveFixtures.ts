import type {
  CampaignDetail,
  PlanResponse,
  WaveStatus,
} from '@internal/plugin-sidecars-common';
import type { CampaignAction } from '../api';
import { campaignDetail, campaignSpec, plan } from './fixtures';

const COMPLETED_COUNTS = {
  total: 3,
  upgraded: 3,
  failed: 0,
  rolledBack: 0,
  skipped: 0,
  pending: 0,
  notStarted: 0,
};

/** Wave "staging" completed in prod-eu-1; wave "prod" in prod-us-1 waiting at its approval gate. */
export function wavesAwaitingApproval(): WaveStatus[] {
  return [
    {
      name: 'staging',
      state: 'completed',
      lanes: [
        {
          cluster: 'prod-eu-1',
          campaignId: 'campaign-1-w1-prod-eu-1',
          phase: 'Completed',
          counts: COMPLETED_COUNTS,
          currentBatch: null,
          totalBatches: 3,
        },
      ],
    },
    {
      name: 'prod',
      state: 'gated',
      gate: { approval: true, bakeSeconds: 0, state: 'awaiting-approval' },
      lanes: [{ cluster: 'prod-us-1', campaignId: 'campaign-1-w2-prod-us-1' }],
    },
  ];
}

/** A fleet campaign in two waves, paused at the gate before wave "prod", with the actions the user may take. */
export function wavedCampaignDetail(
  allowedActions: CampaignAction[],
): CampaignDetail {
  return campaignDetail({
    phase: 'Paused',
    entityRef: undefined,
    allowedActions,
    status: {
      spec: campaignSpec({
        selector: { namespaces: ['payments'] },
        waves: [
          { name: 'staging', clusters: ['prod-eu-1'] },
          { name: 'prod', clusters: ['prod-us-1'], gate: { approval: true } },
        ],
      }),
      waves: wavesAwaitingApproval(),
    },
  });
}

/** The plan of two waves: staging in prod-eu-1, then prod in prod-us-1 and prod-us-2 behind a bake and an approval. */
export function wavedPlan(): PlanResponse {
  return plan([1, 2, 2, 3, 3], {
    waves: [
      {
        name: 'staging',
        lanes: [
          {
            cluster: 'prod-eu-1',
            pods: 3,
            batches: 2,
            maxUnavailable: 2,
            skipped: 0,
          },
        ],
      },
      {
        name: 'prod',
        gate: { approval: true, bakeSeconds: 600 },
        lanes: [
          {
            cluster: 'prod-us-1',
            pods: 2,
            batches: 1,
            maxUnavailable: 3,
            skipped: 1,
          },
          {
            cluster: 'prod-us-2',
            pods: 6,
            batches: 2,
            maxUnavailable: 3,
            skipped: 0,
          },
        ],
      },
    ],
  });
}
