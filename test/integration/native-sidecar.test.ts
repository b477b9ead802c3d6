import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { containerStatus } from '@internal/plugin-sidecars-node';
import { isPodReady, listPods, testCluster } from '../support/cluster';
import { awaitPhase, suiteHarness } from '../support/campaigns';
import {
  injectedFleet,
  sidecarImage,
  type InjectedFleet,
} from '../support/fleet';

// A native sidecar (an init container with restartPolicy Always) injected at admission, upgraded in
// place: the kubelet (KWOK's stage here) restarts only that sidecar, never the app.

const cluster = testCluster();
const OLD = 'registry.example.com/proxy:1.0.0';
const NEW = 'registry.example.com/proxy:1.1.0';

const restarts = (pod: V1Pod, container: string) =>
  containerStatus(pod, container)?.restartCount ?? -1;

async function fleetPods(fleet: InjectedFleet): Promise<V1Pod[]> {
  return listPods(cluster, fleet.namespace, fleet.selector);
}

describe('an injected native sidecar', () => {
  const harness = suiteHarness('native');

  it('is upgraded in place, restarting only the sidecar, and rolled back on request', async () => {
    const fleet = await injectedFleet(cluster, 'native', 6, {
      name: 'proxy',
      image: OLD,
      native: true,
    });
    for (const pod of fleet.pods) {
      const sidecar = pod.spec?.initContainers?.find(c => c.name === 'proxy');
      assert.equal(
        sidecar?.restartPolicy,
        'Always',
        `${pod.metadata?.name} runs proxy as a native sidecar`,
      );
    }

    const handle = await harness().start({
      container: 'proxy',
      targetImage: NEW,
      selector: {
        namespaces: [fleet.namespace],
        labelSelector: fleet.selector,
      },
      strategy: { maxUnavailable: 2 },
    });
    const upgraded = await awaitPhase(handle, 'Completed');
    assert.equal(upgraded.counts.upgraded, 6);
    for (const pod of await fleetPods(fleet)) {
      const name = pod.metadata?.name;
      assert.equal(sidecarImage(pod, 'proxy'), NEW, `${name} runs ${NEW}`);
      assert.equal(
        pod.spec?.initContainers?.find(c => c.name === 'proxy')?.image,
        NEW,
        `${name}: the image changed in initContainers`,
      );
      assert.equal(
        restarts(pod, 'proxy'),
        1,
        `${name}: the sidecar restarted once`,
      );
      assert.equal(restarts(pod, 'app'), 0, `${name}: the app never restarted`);
      assert.ok(isPodReady(pod), `${name} is Ready`);
    }

    await handle.signal('rollback', {
      reason: 'native sidecar regression',
      by: 'user:default/pat',
    });
    const rolledBack = await awaitPhase(handle, 'RolledBack');
    assert.equal(rolledBack.counts.rolledBack, 6);
    for (const pod of await fleetPods(fleet)) {
      const name = pod.metadata?.name;
      assert.equal(
        sidecarImage(pod, 'proxy'),
        OLD,
        `${name} is back on ${OLD}`,
      );
      assert.equal(restarts(pod, 'app'), 0, `${name}: the app never restarted`);
      assert.ok(isPodReady(pod), `${name} is Ready`);
    }
  });
});
