import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { V1Container } from '@kubernetes/client-node';
import { CAMPAIGN_LABELS } from '@internal/plugin-sidecars-common';
import {
  awaitReadyPods,
  createTestNamespace,
  isPodReady,
  listPods,
  testCluster,
  type TestCluster,
} from '../support/cluster';
import { awaitPhase, suiteHarness } from '../support/campaigns';
import { createRollingDeployment } from '../support/deployments';
import { APP_IMAGE, watchUnavailability } from '../support/fleet';

const cluster = testCluster();
const OLD = 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0';
const NEW = 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0';

/** A Deployment whose pod template declares the sidecar, as a regular or a native (init) sidecar. */
async function declaredSidecarDeployment(
  c: TestCluster,
  namespace: string,
  name: string,
  native: boolean,
) {
  const sidecar: V1Container = {
    name: 'cloud-sql-proxy',
    image: OLD,
    ...(native ? { restartPolicy: 'Always' } : {}),
  };
  await createRollingDeployment(c, namespace, name, {
    replicas: 3,
    maxUnavailable: 1,
    labels: { tier: 'db-client' },
    spec: {
      initContainers: native ? [sidecar] : [],
      containers: [
        { name: 'app', image: APP_IMAGE },
        ...(native ? [] : [sidecar]),
      ],
    },
  });
  return awaitReadyPods(c, namespace, `app=${name}`, 3);
}

const sidecarImageOf = (
  spec:
    { containers: V1Container[]; initContainers?: V1Container[] } | undefined,
) =>
  [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])].find(
    c => c.name === 'cloud-sql-proxy',
  )?.image;

describe('a campaign in workload mode', () => {
  const harness = suiteHarness('workload');
  let namespace: string;
  before(async () => {
    namespace = await createTestNamespace(cluster, 'workload');
    await declaredSidecarDeployment(cluster, namespace, 'orders', false);
    await declaredSidecarDeployment(cluster, namespace, 'billing', true);
  });

  it('refuses in-place mode for a sidecar declared in the template, naming the fix', async () => {
    const handle = await harness().start({
      container: 'cloud-sql-proxy',
      targetImage: NEW,
      selector: { namespaces: [namespace], labelSelector: 'tier=db-client' },
      mode: 'in-place',
    });
    const status = await awaitPhase(handle, 'Completed');
    assert.equal(status.counts.skipped, 6);
    assert.equal(status.counts.upgraded, 0);
    assert.match(
      status.events.find(e => e.type === 'claimed')?.message ?? '',
      /declared in Deployment .*'s pod template.*use mode "workload"/,
    );
  });

  it('rolls each Deployment through its own rollout within the pod budget, native sidecars included', async () => {
    const handle = await harness().start({
      container: 'cloud-sql-proxy',
      targetImage: NEW,
      mode: 'workload',
      selector: { namespaces: [namespace], labelSelector: 'tier=db-client' },
      strategy: { maxUnavailable: 1 },
    });
    const watcher = await watchUnavailability(
      cluster,
      namespace,
      handle.workflowId,
      () => true,
    );
    try {
      const status = await awaitPhase(handle, 'Completed');
      assert.deepEqual(status.counts, {
        total: 2,
        upgraded: 2,
        failed: 0,
        rolledBack: 0,
        skipped: 0,
        pending: 0,
        notStarted: 0,
      });
      assert.equal(
        status.totalBatches,
        2,
        'one Deployment per batch: each rollout may take 1 pod down, the budget is 1',
      );
      for (const name of ['orders', 'billing']) {
        const deployment = await cluster.apps.readNamespacedDeployment({
          name,
          namespace,
        });
        assert.equal(
          sidecarImageOf(deployment.spec?.template.spec),
          NEW,
          `${name}'s template carries the new image`,
        );
        assert.equal(
          deployment.metadata?.labels?.[CAMPAIGN_LABELS.state],
          'upgraded',
        );
        const pods = await listPods(cluster, namespace, `app=${name}`);
        assert.equal(pods.length, 3);
        for (const pod of pods) {
          assert.equal(
            sidecarImageOf(pod.spec),
            NEW,
            `${pod.metadata?.name} was recreated with the new image`,
          );
          assert.ok(isPodReady(pod));
        }
      }
      assert.ok(
        watcher.max >= 1 && watcher.max <= 1,
        `never more than 1 pod unavailable, saw ${watcher.max}`,
      );
    } finally {
      watcher.stop();
    }
  });
});
