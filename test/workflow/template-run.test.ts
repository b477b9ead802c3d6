import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  ActivityFailure,
  ApplicationFailure,
  WorkflowFailedError,
} from '@temporalio/client';
import {
  CAMPAIGN_TEMPLATE_RUN_WORKFLOW_TYPE,
  CAMPAIGN_WORKFLOW_TYPE,
  parseCampaignSpec,
  type CampaignStatus,
  type CampaignTemplateRunInput,
  type CampaignTemplateRunResult,
} from '@internal/plugin-sidecars-common';
import {
  CampaignSearchAttributes,
  type TemplateImage,
} from '@internal/sidecar-workflows';
import { startTemplateCampaign } from '@internal/sidecar-workers/src/activities/start-campaign';
import { FakeCampaignActivities } from './fake-activities';
import { fakeWorkerSuite } from './fake-worker';

const parsed = parseCampaignSpec({
  container: 'fluent-bit',
  targetImage: 'docker.io/fluent/fluent-bit:3.0.0',
  selector: { namespaces: ['fake'], clusters: ['staging'] },
  strategy: { maxUnavailable: 1, rollbackWindowSeconds: 0 },
});
if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
const SPEC = parsed.spec;

/**
 * The campaignTemplateRun launcher on the real Temporal dev server: the version lookup is a fake
 * activity, the campaign it starts runs the real workflow with fake campaign activities.
 */
describe('campaign template runs', { timeout: 30_000 }, () => {
  const fakes = new FakeCampaignActivities(1);
  let lookups: Array<{ clusters: string[] }> = [];
  let found: TemplateImage | string;
  const suite = fakeWorkerSuite('template-run', fakes, {
    startTemplateCampaign,
    templateImage: async (_spec: unknown, clusters: string[]) => {
      lookups.push({ clusters });
      if (typeof found === 'string')
        throw ApplicationFailure.nonRetryable(found, 'NoSourceImage');
      return found;
    },
  });
  const { taskQueue } = suite;

  const run = async (input: Partial<CampaignTemplateRunInput>) => {
    lookups = [];
    const handle = await suite
      .client()
      .workflow.start(CAMPAIGN_TEMPLATE_RUN_WORKFLOW_TYPE, {
        taskQueue,
        workflowId: `sidecar-template-nightly-${randomBytes(4).toString('hex')}`,
        args: [
          {
            templateId: 'nightly',
            spec: SPEC,
            createdBy: 'user:default/pat',
            ...input,
          } satisfies CampaignTemplateRunInput,
        ],
      });
    return (await handle.result()) as CampaignTemplateRunResult;
  };

  test('starts the campaign on the version the source clusters run, with a clean id, listed as a campaign', async () => {
    found = {
      image: 'docker.io/fluent/fluent-bit:3.1.4',
      pods: 7,
      selected: 3,
      behind: 3,
    };
    const result = await run({
      targetImageFrom: { clusters: ['production'] },
      entityRef: 'component:default/checkout',
    });
    assert.deepEqual(lookups, [{ clusters: ['production'] }]);
    assert.ok('campaignId' in result, JSON.stringify(result));
    assert.match(result.campaignId, /^fluent-bit-3-1-4-[0-9a-f]{6}$/);
    assert.equal(result.targetImage, 'docker.io/fluent/fluent-bit:3.1.4');

    // The launcher has closed; the campaign it started runs on to its end, a campaign of its own.
    const campaign = suite.client().workflow.getHandle(result.campaignId);
    const status = (await campaign.result()) as CampaignStatus;
    assert.equal(status.phase, 'Completed', status.phaseReason);
    assert.equal(status.spec.targetImage, 'docker.io/fluent/fluent-bit:3.1.4');
    const info = await campaign.describe();
    assert.equal(info.type, CAMPAIGN_WORKFLOW_TYPE);
    assert.equal(info.parentExecution, undefined);
    assert.equal(info.taskQueue, taskQueue);
    assert.equal(
      info.typedSearchAttributes.get(CampaignSearchAttributes.targetImage),
      'docker.io/fluent/fluent-bit:3.1.4',
    );
    assert.equal(
      info.typedSearchAttributes.get(CampaignSearchAttributes.createdBy),
      'user:default/pat',
    );
    assert.equal(
      info.typedSearchAttributes.get(CampaignSearchAttributes.entityRef),
      'component:default/checkout',
    );
    assert.equal(info.memo?.template, 'nightly');
    assert.equal(info.memo?.createdBy, 'user:default/pat');
  });

  test('without targetImageFrom, starts the spec as it is and looks nothing up', async () => {
    const result = await run({});
    assert.deepEqual(lookups, []);
    assert.ok('campaignId' in result, JSON.stringify(result));
    assert.match(result.campaignId, /^fluent-bit-3-0-0-[0-9a-f]{6}$/);
    const status = (await suite
      .client()
      .workflow.getHandle(result.campaignId)
      .result()) as CampaignStatus;
    assert.equal(status.phase, 'Completed', status.phaseReason);
  });

  test('skips the run when the selection already runs the resolved version everywhere', async () => {
    found = {
      image: 'docker.io/fluent/fluent-bit:3.1.4',
      pods: 7,
      selected: 3,
      behind: 0,
    };
    const result = await run({ targetImageFrom: { clusters: ['production'] } });
    assert.deepEqual(result, {
      skipped:
        'all 3 selected pod(s) already run docker.io/fluent/fluent-bit:3.1.4',
      targetImage: 'docker.io/fluent/fluent-bit:3.1.4',
    });
  });

  test('fails the run, naming the clusters, when no source pod runs the container', async () => {
    found =
      'no pod of the template\'s selection runs a container named "fluent-bit" in cluster(s) production';
    await assert.rejects(
      run({ targetImageFrom: { clusters: ['production'] } }),
      (error: unknown) =>
        error instanceof WorkflowFailedError &&
        error.cause instanceof ActivityFailure &&
        (error.cause.cause?.message ?? '').includes('in cluster(s) production'),
    );
  });
});
