import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Deployment } from '@kubernetes/client-node';
import { CAMPAIGN_ANNOTATIONS } from '@internal/plugin-sidecars-common';
import type { JsonPatchOperation } from './api';
import { nativeMoveOps } from './container-change';

const OLD = 'cr.fluentbit.io/fluent/fluent-bit:3.1.9';
const NEW = 'cr.fluentbit.io/fluent/fluent-bit:3.2.4';

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

/** `ops` applied as the API server applies a JSON patch (RFC 6902: add, remove, test). */
function applied(
  deployment: V1Deployment,
  ops: JsonPatchOperation[],
): V1Deployment {
  const next = structuredClone(deployment);
  for (const op of ops) {
    const keys = op.path
      .split('/')
      .slice(1)
      .map(k => k.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = keys.pop()!;
    let parent: unknown = next;
    for (const key of keys) parent = (parent as Record<string, unknown>)[key];
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (op.op === 'test') assert.deepEqual(parent[index], op.value);
      else if (op.op === 'remove') parent.splice(index, 1);
      else parent.splice(index, 0, op.value);
    } else {
      const object = parent as Record<string, unknown>;
      if (op.op === 'test') assert.deepEqual(object[last], op.value);
      else if (op.op === 'remove') delete object[last];
      else object[last] = op.value;
    }
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

  it('creates the initContainers list and drops it again, and restores an Istio hold it left out', () => {
    const before: V1Deployment = {
      metadata: { name: 'mesh', annotations: {} },
      spec: {
        selector: {},
        template: {
          metadata: {
            annotations: {
              'proxy.istio.io/config': 'holdApplicationUntilProxyStarts: true',
            },
          },
          spec: {
            containers: [
              { name: 'app', image: 'app:1' },
              { name: 'istio-proxy', image: OLD },
            ],
          },
        },
      },
    };
    const forward = nativeMoveOps(before, 'istio-proxy', OLD, OLD, 'forward');
    assert.ok(Array.isArray(forward), JSON.stringify(forward));
    const moved = applied(before, forward);
    assert.deepEqual(moved.spec?.template.metadata?.annotations, {});
    assert.deepEqual(
      moved.spec?.template.spec?.initContainers?.map(c => c.name),
      ['istio-proxy'],
    );
    const back = nativeMoveOps(moved, 'istio-proxy', OLD, OLD, 'back');
    assert.ok(Array.isArray(back), JSON.stringify(back));
    assert.deepEqual(applied(moved, back), {
      ...before,
      metadata: moved.metadata,
    });
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
