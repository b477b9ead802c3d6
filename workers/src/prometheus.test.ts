import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  instantQuery,
  prometheusFromEnvironment,
  PrometheusUnavailable,
  QueryRefused,
} from './prometheus';

/** A stand-in for Prometheus's HTTP API: each query names the answer it gets. */
const ANSWERS: Record<string, { status: number; body: string }> = {
  vector: {
    status: 200,
    body: JSON.stringify({
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          { metric: { pod: 'a' }, value: [1, '0.97'] },
          { metric: { pod: 'b' }, value: [1, 'NaN'] },
        ],
      },
    }),
  },
  scalar: {
    status: 200,
    body: JSON.stringify({
      status: 'success',
      data: { resultType: 'scalar', result: [1, '3'] },
    }),
  },
  matrix: {
    status: 200,
    body: JSON.stringify({
      status: 'success',
      data: { resultType: 'matrix', result: [] },
    }),
  },
  bad: {
    status: 400,
    body: JSON.stringify({
      status: 'error',
      errorType: 'bad_data',
      error: 'parse error: unexpected end of input',
    }),
  },
  overloaded: { status: 503, body: 'Service Unavailable' },
};

describe("the worker's Prometheus client", () => {
  let server: Server;
  let url: string;
  const seen: string[] = [];

  before(async () => {
    server = createServer((request, response) => {
      const query =
        new URL(request.url ?? '/', 'http://x').searchParams.get('query') ?? '';
      seen.push(
        `${request.url?.split('?')[0]} ${request.headers.authorization ?? ''}`,
      );
      const answer = ANSWERS[query] ?? ANSWERS.bad!;
      response.writeHead(answer.status).end(answer.body);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix`;
  });
  after(() => new Promise(resolve => server.close(resolve)));

  it('reads a vector as its samples, NaN included, from the API under the URL path', async () => {
    const values = await instantQuery({ url }, 'vector');
    assert.deepEqual(values, [0.97, Number.NaN]);
    assert.equal(seen.at(-1), '/prefix/api/v1/query ');
  });

  it('reads a scalar as a number', async () => {
    assert.equal(await instantQuery({ url }, 'scalar'), 3);
  });

  it('refuses a range vector, a query Prometheus refuses, and names why', async () => {
    await assert.rejects(instantQuery({ url }, 'matrix'), QueryRefused);
    await assert.rejects(
      instantQuery({ url }, 'bad'),
      (error: Error) =>
        error instanceof QueryRefused &&
        /refused the query \(400 bad_data\): parse error/.test(error.message),
    );
  });

  it('says Prometheus is unavailable on a 5xx or when nothing listens, so the activity is retried', async () => {
    await assert.rejects(
      instantQuery({ url }, 'overloaded'),
      (error: Error) =>
        error instanceof PrometheusUnavailable &&
        /answered 503/.test(error.message),
    );
    const closed = createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise(resolve => closed.close(resolve));
    await assert.rejects(
      instantQuery({ url: `http://127.0.0.1:${port}` }, 'vector'),
      (error: Error) =>
        error instanceof PrometheusUnavailable &&
        /is unreachable: .*ECONNREFUSED/.test(error.message),
    );
  });

  it('is configured by PROMETHEUS_URL, or not at all', () => {
    assert.equal(prometheusFromEnvironment({}), undefined);
    assert.deepEqual(
      prometheusFromEnvironment({ PROMETHEUS_URL: ' http://prom:9090 ' }),
      { url: 'http://prom:9090' },
    );
  });
});
