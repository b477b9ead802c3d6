import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Deployment, V1PodTemplateSpec } from '@kubernetes/client-node';
import { CAMPAIGN_ANNOTATIONS } from '@internal/plugin-sidecars-common';
import type { JsonPatchOperation } from './api';
import { nativeMoveOps } from './container-change';

const OLD = 'cr.fluentbit.io/fluent/fluent-bit:3.1.9';
const NEW = 'cr.fluentbit.io/fluent/fluent-bit:3.2.4';
const RECORD_PATH =
  '/metadata/annotations/sidecar-campaigns.io~1legacy-sidecar';

const legacy = (): V1Deployment => ({
  metadata: { name: 'orders', annotations: {} },
  spec: {
    selector: {},
    template: {
      spec: {
        containers: [
          {
            name: 'fluent-bit',
            image: OLD,
            lifecycle: { postStart: { exec: { command: ['wait'] } } },
          },
          { name: 'app', image: 'app:1' },
        ],
      },
    },
  },
});

/** The Deployment as the API would return it after `ops` (only the ops this module writes). */
function applied(
  deployment: V1Deployment,
  ops: JsonPatchOperation[],
): V1Deployment {
  const next = structuredClone(deployment);
  for (const op of ops) {
    if (op.op === 'replace' && op.path === '/spec/template')
      next.spec!.template = op.value as V1PodTemplateSpec;
    else if (op.op === 'add' && op.path === RECORD_PATH)
      next.metadata!.annotations![CAMPAIGN_ANNOTATIONS.legacySidecar] =
        op.value as string;
    else assert.fail(`unexpected op ${JSON.stringify(op)}`);
  }
  return next;
}

describe('nativeMoveOps', () => {
  it('moves forward with a record of the container, and back to the same template', () => {
    const before = legacy();
    const forward = nativeMoveOps(before, 'fluent-bit', OLD, NEW, 'forward');
    assert.ok(Array.isArray(forward), JSON.stringify(forward));
    const moved = applied(before, forward);
    assert.deepEqual(moved.spec?.template.spec?.initContainers, [
      { name: 'fluent-bit', image: NEW, restartPolicy: 'Always' },
    ]);
    const back = nativeMoveOps(moved, 'fluent-bit', NEW, OLD, 'back');
    assert.ok(Array.isArray(back), JSON.stringify(back));
    assert.deepEqual(
      applied(moved, back).spec?.template,
      before.spec?.template,
    );
  });

  it('refuses a change made outside the campaign, and a restore without a record', () => {
    assert.deepEqual(
      nativeMoveOps(legacy(), 'fluent-bit', NEW, NEW, 'forward'),
      {
        refuse: `fluent-bit runs ${OLD}, expected ${NEW}: changed outside the campaign`,
      },
    );
    const forward = nativeMoveOps(legacy(), 'fluent-bit', OLD, NEW, 'forward');
    assert.ok(Array.isArray(forward));
    const moved = applied(legacy(), forward);
    delete moved.metadata!.annotations![CAMPAIGN_ANNOTATIONS.legacySidecar];
    assert.match(
      (
        nativeMoveOps(moved, 'fluent-bit', NEW, OLD, 'back') as {
          refuse: string;
        }
      ).refuse,
      /no readable sidecar-campaigns.io\/legacy-sidecar annotation for fluent-bit.*restore it by hand/,
    );
  });
});
