import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpMethod, RequestContext } from '@kubernetes/client-node';
import { PooledKubeConfig } from './pooledKubeConfig';

function configFor(contexts: string[]) {
  const kc = new PooledKubeConfig();
  kc.loadFromOptions({
    clusters: contexts.map(name => ({
      name,
      server: `https://${name}.example.com:6443`,
      skipTLSVerify: true,
    })),
    users: [{ name: 'ops', token: 'secret' }],
    contexts: contexts.map(name => ({ name, cluster: name, user: 'ops' })),
    currentContext: contexts[0],
  });
  return kc;
}

async function dispatcherOf(kc: PooledKubeConfig) {
  const context = new RequestContext(
    `https://${kc.getCurrentContext()}.example.com:6443/api/v1/pods`,
    HttpMethod.GET,
  );
  await kc.applySecurityAuthentication(context);
  return context;
}

describe('PooledKubeConfig', () => {
  it('sends every request of a context through one connection pool, with the credentials applied each time', async () => {
    const kc = configFor(['prod']);
    const first = await dispatcherOf(kc);
    const second = await dispatcherOf(kc);
    assert.ok(first.getDispatcher());
    assert.equal(second.getDispatcher(), first.getDispatcher());
    assert.equal(second.getHeaders().Authorization, 'Bearer secret');
  });

  it('keeps a separate pool per context', async () => {
    const kc = configFor(['prod', 'staging']);
    const prod = await dispatcherOf(kc);
    kc.setCurrentContext('staging');
    const staging = await dispatcherOf(kc);
    assert.notEqual(staging.getDispatcher(), prod.getDispatcher());
  });
});
