import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { waitFor } from '@internal/dev-stack/stack/wait';

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is unset: run this suite through \`npm test -- FILE\`, whose stack starts Prometheus`,
    );
  return value;
}

/** The stack's Prometheus, as the worker is told of it. */
export const prometheusUrl = () => required('PROMETHEUS_URL');

/** The query's samples' values from the stack's Prometheus (an instant query). */
export async function queryValues(query: string): Promise<number[]> {
  const url = new URL('/api/v1/query', prometheusUrl());
  url.searchParams.set('query', query);
  const answer = (await (await fetch(url)).json()) as {
    data?: { result?: Array<{ value: [number, string] }> };
  };
  return (answer.data?.result ?? []).map(series => Number(series.value[1]));
}

/** Waits until the stack's Prometheus answers `query` with a sample that `accept` takes. */
export function awaitQuery(
  query: string,
  accept: (values: number[]) => boolean,
  what: string,
): Promise<number[]> {
  return waitFor(
    async () => {
      const values = await queryValues(query);
      return accept(values) && values;
    },
    { what, timeoutMs: 30_000, intervalMs: 250 },
  );
}

export interface MetricTarget {
  /** Sets the gauge the target serves, e.g. an error ratio the test makes good or bad. */
  set(value: number): void;
  close(): Promise<void>;
}

/**
 * A scrape target of the test's own: serves one gauge, `name{suite="<suite>"}`, and registers
 * itself with the stack's Prometheus (file_sd), resolving once Prometheus has scraped it.
 */
export async function metricTarget(
  name: string,
  suite: string,
  initial: number,
): Promise<MetricTarget> {
  let value = initial;
  const server = createServer((_request, response) => {
    response
      .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      .end(`# TYPE ${name} gauge\n${name}{suite="${suite}"} ${value}\n`);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const file = join(required('PROMETHEUS_TARGETS_DIR'), `${suite}.json`);
  writeFileSync(file, JSON.stringify([{ targets: [`127.0.0.1:${port}`] }]));
  await awaitQuery(
    `${name}{suite="${suite}"}`,
    values => values.length === 1,
    `Prometheus to scrape the test's target ${name}`,
  );
  return {
    set(next) {
      value = next;
    },
    async close() {
      rmSync(file, { force: true });
      await new Promise(resolve => server.close(resolve));
    },
  };
}
