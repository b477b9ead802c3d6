import { createServer } from 'node:net';

/** A port the OS says is free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise(resolve => server.close(resolve));
  if (address === null || typeof address === 'string')
    throw new Error('could not allocate a free port');
  return address.port;
}

export async function assertPortFree(
  port: number,
  purpose: string,
): Promise<void> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'EADDRINUSE'
        ? `port ${port} (${purpose}) is already in use: stop whatever listens there (\`ss -ltnp 'sport = :${port}'\` shows it) or choose another port`
        : `cannot listen on port ${port} (${purpose}): ${String(error)}`,
    );
  } finally {
    await new Promise(resolve => server.close(resolve));
  }
}
