import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';

/** Whether the worker polls its task queue, and the Temporal worker state that says so. */
export type Readiness = () => { ready: boolean; state: string };

function reply(response: ServerResponse, status: number, body: object): void {
  response
    .writeHead(status, { 'content-type': 'application/json' })
    .end(JSON.stringify(body));
}

/**
 * `/healthz` answers while the process and its event loop do (liveness); `/readyz` answers 200
 * only while the worker polls its task queue (readiness), 503 with the worker's state otherwise.
 */
export async function startHealthServer(
  port: number,
  readiness: Readiness,
): Promise<Server> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://worker').pathname;
    if (path === '/healthz') {
      reply(response, 200, { status: 'alive' });
    } else if (path === '/readyz') {
      const { ready, state } = readiness();
      reply(response, ready ? 200 : 503, {
        status: ready ? 'ready' : 'not ready',
        state,
      });
    } else {
      reply(response, 404, {
        error: `no endpoint ${path} here: use /healthz or /readyz (metrics are served at /metrics on WORKER_METRICS_PORT)`,
      });
    }
  });
  server.listen(port);
  await once(server, 'listening');
  return server;
}
