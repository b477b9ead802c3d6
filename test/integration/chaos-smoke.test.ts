import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { CAMPAIGN_LABELS } from '@internal/plugin-sidecars-common';
import { temporalFromEnvironment } from '@internal/sidecar-workers';
import { listPods, testCluster } from '../support/cluster';
import {
  inPlaceFleet,
  OLD_IMAGE,
  TARGET_IMAGE,
  watchFleet,
} from '../chaos/campaign-run';
import { apiFaults } from '../chaos/scenarios/api-faults';
import { chaosTable } from '../chaos/table';
import { waitFor } from '@internal/dev-stack/stack/wait';

const cluster = testCluster();
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

async function patchPod(namespace: string, name: string, body: object[]) {
  await cluster.core.patchNamespacedPod({ namespace, name, body }, jsonPatch);
}
const setSidecarImage = (namespace: string, name: string, image: string) =>
  patchPod(namespace, name, [
    { op: 'replace', path: '/spec/containers/1/image', value: image },
  ]);

describe('the chaos suite, small', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'chaos-smoke-'));
  after(() => rmSync(workDir, { recursive: true, force: true }));

  it('completes a 60-pod campaign through 3 worker SIGKILLs and 10% failed API requests with no safety violation', async () => {
    const ctx = {
      cluster,
      temporal: temporalFromEnvironment(),
      env: {},
      workDir,
      log: (line: string) => console.log(line),
    };
    const result = await apiFaults(ctx, 'chaos-smoke', {
      pods: 60,
      maxUnavailable: 6,
      faultRate: 0.1,
      kills: 3,
    });
    console.log(chaosTable([result]));
    assert.deepEqual(result.report?.violations, []);
    assert.equal(result.phase, 'Completed', result.notes.join('\n'));
    assert.equal(result.report?.targets, 60);
    assert.equal(
      result.report?.patches.upgrade,
      60,
      'every pod patched toward the target exactly once',
    );
    assert.match(
      result.faults,
      /^3 worker SIGKILLs; [1-9]\d* of \d+ API requests failed/,
    );
  });

  it('has a watcher that counts each kind of violation it is shown', async () => {
    const namespace = await inPlaceFleet(cluster, 'chaos-watcher', 3);
    const watcher = await watchFleet(cluster, namespace, 0);
    const [twice, left] = (await listPods(cluster, namespace, 'app=fleet')).map(
      p => p.metadata!.name!,
    );
    const [bystander] = (
      await listPods(cluster, namespace, 'app=bystander')
    ).map(p => p.metadata!.name!);
    assert.ok(twice && left && bystander);
    // The sidecar is injected after the app container, so it is containers[1].
    for (const image of [TARGET_IMAGE, OLD_IMAGE, TARGET_IMAGE])
      await setSidecarImage(namespace, twice, image);
    await setSidecarImage(namespace, left, 'registry.example.com/proxy:9.9.9');
    await setSidecarImage(namespace, bystander, TARGET_IMAGE);
    await patchPod(namespace, left, [
      {
        op: 'add',
        path: `/metadata/labels/${CAMPAIGN_LABELS.hold.replace('/', '~1')}`,
        value: 'nobody',
      },
    ]);
    // Streamed violations arrive with the watch events; the end checks read the cluster afresh in finish().
    await waitFor(
      () =>
        Promise.resolve(
          watcher.violationsSoFar.some(v => v.includes('outside')) &&
            watcher.violationsSoFar.some(v => v.includes('unavailable')),
        ),
      {
        what: 'the watcher to see the bystander change and an unready pod',
        timeoutMs: 20_000,
      },
    );
    const report = await watcher.finish();
    const expected = [
      /pods unavailable at once.*budget 0/,
      new RegExp(`pod ${twice} patched toward ${TARGET_IMAGE} 2 times`),
      new RegExp(`pod ${left} changed from .* neither`),
      new RegExp(`pod ${bystander} is outside the selector but was changed`),
      new RegExp(`pod ${left} still holds`),
      new RegExp(`pod ${left} ended on registry.example.com/proxy:9.9.9`),
    ];
    for (const pattern of expected)
      assert.ok(
        report.violations.some(v => pattern.test(v)),
        `expected a violation matching ${pattern} in ${JSON.stringify(report.violations)}`,
      );
  });
});
