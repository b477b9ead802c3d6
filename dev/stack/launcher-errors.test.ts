import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { binaryPath } from './binaries';
import { assertPortFree, freePort } from './ports';

describe('the stack launcher', () => {
  it('refuses a port that is taken, naming it and how to find the culprit', async () => {
    const server = createServer();
    const port = await freePort();
    await new Promise<void>(resolve =>
      server.listen(port, '127.0.0.1', resolve),
    );
    try {
      await assert.rejects(
        assertPortFree(port, 'kube-apiserver'),
        new RegExp(
          `port ${port} \\(kube-apiserver\\) is already in use.*ss -ltnp`,
        ),
      );
    } finally {
      server.close();
    }
    await assertPortFree(port, 'kube-apiserver');
  });

  it('says how to build a binary that is missing from the cache', () => {
    const saved = process.env.SIDECAR_CAMPAIGNS_BIN;
    process.env.SIDECAR_CAMPAIGNS_BIN = '/nonexistent/bin';
    try {
      assert.throws(
        () => binaryPath('kube-apiserver'),
        /kube-apiserver v1\.34\.4 is missing at \/nonexistent\/bin\/kube-apiserver-v1\.34\.4: run `npm run stack:build`/,
      );
    } finally {
      if (saved === undefined) delete process.env.SIDECAR_CAMPAIGNS_BIN;
      else process.env.SIDECAR_CAMPAIGNS_BIN = saved;
    }
  });
});
