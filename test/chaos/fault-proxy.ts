import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';

/**
 * How a request is failed: answered with an error status without reaching the apiserver, its
 * connection reset before it is forwarded, or forwarded and its connection reset before the answer
 * (so the client cannot know whether a write landed).
 */
export type Fault = 409 | 429 | 500 | 503 | 'reset' | 'lost-answer';

/** 409 only answers writes: the apiserver never answers a read with a conflict. */
const WRITE_FAULTS: readonly Fault[] = [
  409,
  429,
  500,
  503,
  'reset',
  'lost-answer',
];
const READ_FAULTS: readonly Fault[] = [429, 500, 503, 'reset', 'lost-answer'];

export interface FaultProxyOptions {
  /** The apiserver, e.g. https://127.0.0.1:6443 (its certificate is not verified, like the local kubeconfig). */
  upstream: string;
  /** Share of requests failed, 0..1. */
  faultRate: number;
}

export interface FaultProxy {
  url: string;
  /** Faults injected so far, by kind. */
  readonly injected: ReadonlyMap<Fault, number>;
  readonly requests: number;
  /** Writes a kubeconfig pointing at the proxy with the given bearer token; returns its path. */
  writeKubeconfig(path: string, token: string): string;
  close(): Promise<void>;
}

const pick = <T>(items: readonly T[]): T =>
  items[Math.floor(Math.random() * items.length)]!;

function statusBody(status: number) {
  const reasons: Record<number, string> = {
    409: 'Conflict',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
  };
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    message: `injected by the chaos proxy`,
    reason: reasons[status],
    code: status,
  });
}

/**
 * A plain-HTTP proxy in front of the kube-apiserver that fails a share of the requests it sees.
 * Clients reach it with a kubeconfig from `writeKubeconfig`; everything else goes through unchanged.
 */
export async function startFaultProxy(
  options: FaultProxyOptions,
): Promise<FaultProxy> {
  const upstream = new URL(options.upstream);
  const injected = new Map<Fault, number>();
  let requests = 0;

  const forward = (
    incoming: IncomingMessage,
    answer: ServerResponse,
    loseAnswer: boolean,
  ) => {
    const outgoing = httpsRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: upstream.host },
        rejectUnauthorized: false,
      },
      response => {
        if (loseAnswer) {
          response.resume();
          answer.socket?.destroy();
          return;
        }
        answer.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(answer);
      },
    );
    outgoing.on('error', () => answer.socket?.destroy());
    answer.on('close', () => outgoing.destroy());
    incoming.pipe(outgoing);
  };

  const server = createServer((incoming, answer) => {
    requests += 1;
    const isWatch = /[?&]watch=(true|1)/.test(incoming.url ?? '');
    const fault =
      !isWatch && Math.random() < options.faultRate
        ? pick(incoming.method === 'GET' ? READ_FAULTS : WRITE_FAULTS)
        : undefined;
    if (fault !== undefined)
      injected.set(fault, (injected.get(fault) ?? 0) + 1);
    if (fault === 'reset') {
      incoming.socket.destroy();
    } else if (typeof fault === 'number') {
      incoming.resume();
      answer.writeHead(fault, {
        'content-type': 'application/json',
        ...(fault === 429 ? { 'retry-after': '1' } : {}),
      });
      answer.end(statusBody(fault));
    } else {
      forward(incoming, answer, fault === 'lost-answer');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    injected,
    get requests() {
      return requests;
    },
    writeKubeconfig(path, token) {
      writeFileSync(
        path,
        stringify({
          apiVersion: 'v1',
          kind: 'Config',
          // client-node refuses a plain-HTTP server unless TLS verification is off.
          clusters: [
            {
              name: 'chaos-proxy',
              cluster: { server: url, 'insecure-skip-tls-verify': true },
            },
          ],
          users: [{ name: 'admin', user: { token } }],
          contexts: [
            {
              name: 'chaos-proxy',
              context: { cluster: 'chaos-proxy', user: 'admin' },
            },
          ],
          'current-context': 'chaos-proxy',
        }),
      );
      return path;
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
