import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  awaitReadyPods,
  createTestNamespace,
  testCluster,
} from '../support/cluster';
import { awaitPhase, suiteHarness } from '../support/campaigns';
import { createRollingDeployment } from '../support/deployments';
import { watchUnavailability } from '../support/fleet';

const cluster = testCluster();
const OLD = 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0';
const NEW = 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0';
const DEPLOYMENTS = ['alpha', 'beta', 'gamma'];

describe('rolling back a workload-mode campaign', () => {
  const harness = suiteHarness('workload-rollback');
  let namespace: string;
  before(async () => {
    namespace = await createTestNamespace(cluster, 'wl-rollback');
    // Each rollout takes 2 pods down at once: the campaign's budget of 2 fits one Deployment at a time.
    for (const name of DEPLOYMENTS) {
      await createRollingDeployment(cluster, namespace, name, {
        replicas: 4,
        maxUnavailable: 2,
        labels: { tier: 'rollback' },
        spec: {
          containers: [
            { name: 'app', image: 'registry.example.com/app:1.0.0' },
            { name: 'cloud-sql-proxy', image: OLD },
          ],
        },
      });
    }
    for (const name of DEPLOYMENTS)
      await awaitReadyPods(cluster, namespace, `app=${name}`, 4);
  });

  it('restores Deployments packed by rollout weight: an independent pod watcher never sees more than maxUnavailable pods down', async () => {
    const handle = await harness().start({
      container: 'cloud-sql-proxy',
      targetImage: NEW,
      mode: 'workload',
      selector: { namespaces: [namespace], labelSelector: 'tier=rollback' },
      strategy: { maxUnavailable: 2, rollbackWindowSeconds: 300 },
    });
    const forward = await watchUnavailability(
      cluster,
      namespace,
      handle.workflowId,
      () => true,
    );
    try {
      const completed = await awaitPhase(handle, 'Completed');
      assert.equal(completed.totalBatches, 3, 'one Deployment per batch');
      assert.ok(
        forward.max <= 2,
        `forward batches stayed within the budget, saw ${forward.max}`,
      );
    } finally {
      forward.stop();
    }

    const backward = await watchUnavailability(
      cluster,
      namespace,
      handle.workflowId,
      () => true,
    );
    try {
      await handle.signal('rollback', {
        reason: 'latency regression',
        by: 'user:default/bob',
      });
      const rolledBack = await awaitPhase(handle, 'RolledBack');
      assert.equal(rolledBack.counts.rolledBack, 3);
      assert.ok(
        backward.max >= 1,
        'the watcher saw the restores take pods down',
      );
      assert.ok(
        backward.max <= 2,
        `never more than maxUnavailable (2) pods unavailable during the rollback, saw ${backward.max}`,
      );
      assert.ok(
        rolledBack.batches
          .filter(b => b.direction === 'rollback' && b.rolledBack > 0)
          .every(b => b.rolledBack === 1),
        'one Deployment restored per step',
      );
    } finally {
      backward.stop();
    }
    for (const name of DEPLOYMENTS) {
      const deployment = await cluster.apps.readNamespacedDeployment({
        name,
        namespace,
      });
      assert.equal(
        deployment.spec?.template.spec?.containers.find(
          c => c.name === 'cloud-sql-proxy',
        )?.image,
        OLD,
        `${name} is back on ${OLD}`,
      );
    }
  });
});
