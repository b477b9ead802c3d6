import { KubeConfig } from '@kubernetes/client-node';
import { waitFor } from '@internal/dev-stack/stack/wait';
import { ClusterWatch } from './clusterWatch';
import { closedPort } from '../__testUtils__/closedPort';

function kubeConfigAt(port: number): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: 'c', server: `https://127.0.0.1:${port}`, skipTLSVerify: true },
    ],
    users: [{ name: 'u', token: 'unused' }],
    contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
    currentContext: 'c',
  });
  return kc;
}

describe('ClusterWatch', () => {
  it('does not serve a cluster it cannot reach, says why, and tries its credentials again until they load', async () => {
    const port = await closedPort();
    let attempts = 0;
    const watch = new ClusterWatch(
      'later',
      () => {
        attempts += 1;
        if (attempts === 1)
          throw new Error(
            'ENOENT: no such file or directory, open /nowhere/kubeconfig',
          );
        return kubeConfigAt(port);
      },
      { timeoutMs: 1000, graceMs: 0 },
    );
    try {
      expect(watch.freshness()).toEqual({
        serving: false,
        reason: 'the watch has not started',
      });
      await watch.start();
      expect(watch.freshness()).toEqual({
        serving: false,
        reason:
          'the watch could not start: ENOENT: no such file or directory, open /nowhere/kubeconfig',
      });
      const listFailed = await waitFor(
        async () => {
          const freshness = watch.freshness();
          return (
            !freshness.serving &&
            /list failed|watch fails/.test(freshness.reason) &&
            freshness.reason
          );
        },
        {
          what: 'the second start to reach the (closed) API server',
          timeoutMs: 10_000,
          intervalMs: 100,
        },
      );
      expect(listFailed).toMatch(/ECONNREFUSED|refused/);
      expect(attempts).toBe(2);
    } finally {
      await watch.stop();
    }
  });
});
