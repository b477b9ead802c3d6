import { readFileSync } from 'node:fs';
import type { QueryResult } from '@internal/plugin-sidecars-common';

/**
 * Where the metric gates' queries go: PROMETHEUS_URL (e.g. http://prometheus.monitoring:9090, or
 * a Thanos or Mimir query front end with its path prefix), and, for one that wants a token,
 * PROMETHEUS_BEARER_TOKEN_FILE. Unset: campaigns with analysis pause with that reason.
 */
export interface PrometheusSettings {
  url: string;
  bearerTokenFile?: string;
}

export function prometheusFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): PrometheusSettings | undefined {
  const url = env.PROMETHEUS_URL?.trim();
  if (!url) return undefined;
  return {
    url,
    ...(env.PROMETHEUS_BEARER_TOKEN_FILE
      ? { bearerTokenFile: env.PROMETHEUS_BEARER_TOKEN_FILE }
      : {}),
  };
}

/** Prometheus answered, but refused the query (a 4xx, or a result that is no number): retrying will not help. */
export class QueryRefused extends Error {}

/** Prometheus could not answer now (unreachable, timed out, 5xx): worth retrying. */
export class PrometheusUnavailable extends Error {}

interface ApiAnswer {
  status?: string;
  error?: string;
  errorType?: string;
  data?: { resultType?: string; result?: unknown };
}

type Sample = [number, string];

const sampleValue = (sample: unknown): number => {
  const value = Array.isArray(sample) ? (sample as Sample)[1] : undefined;
  if (typeof value !== 'string')
    throw new QueryRefused(`a sample has no value: ${JSON.stringify(sample)}`);
  return Number(value);
};

/** The query's value as conditions see it: a number for a scalar, the samples' values for a vector. */
export function queryResult(data: ApiAnswer['data']): QueryResult {
  const result = data?.result;
  switch (data?.resultType) {
    case 'scalar':
      return sampleValue(result);
    case 'vector':
      return (Array.isArray(result) ? result : []).map(series =>
        sampleValue((series as { value?: unknown }).value),
      );
    default:
      throw new QueryRefused(
        `the query gave a ${data?.resultType ?? 'missing'} result; write one that gives an instant vector or a scalar`,
      );
  }
}

const QUERY_TIMEOUT_MS = 10_000;

/** Runs `query` as an instant query (GET /api/v1/query). */
export async function instantQuery(
  settings: PrometheusSettings,
  query: string,
): Promise<QueryResult> {
  const url = new URL(
    'api/v1/query',
    settings.url.endsWith('/') ? settings.url : `${settings.url}/`,
  );
  url.searchParams.set('query', query);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (settings.bearerTokenFile)
    headers.authorization = `Bearer ${readFileSync(settings.bearerTokenFile, 'utf8').trim()}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers,
      signal: AbortSignal.timeout(QUERY_TIMEOUT_MS),
    });
  } catch (error) {
    const cause =
      error instanceof Error && error.cause instanceof Error
        ? error.cause.message
        : String(error);
    throw new PrometheusUnavailable(
      `Prometheus at ${settings.url} is unreachable: ${cause}`,
    );
  }
  const text = await response.text();
  let answer: ApiAnswer = {};
  try {
    answer = JSON.parse(text) as ApiAnswer;
  } catch {
    // Not the Prometheus API (a proxy's error page, say): the status says what happened.
  }
  const detail = answer.error ?? text.slice(0, 200);
  if (response.status >= 500 || response.status === 429)
    throw new PrometheusUnavailable(
      `Prometheus at ${settings.url} answered ${response.status}: ${detail}`,
    );
  if (!response.ok || answer.status !== 'success')
    throw new QueryRefused(
      `Prometheus refused the query (${response.status}${answer.errorType ? ` ${answer.errorType}` : ''}): ${detail}`,
    );
  return queryResult(answer.data);
}
