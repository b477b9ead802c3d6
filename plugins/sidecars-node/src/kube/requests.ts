import {
  ApiException,
  Observable,
  type ConfigurationOptions,
} from '@kubernetes/client-node';
import pRetry, { AbortError } from 'p-retry';

/** HTTP status of a Kubernetes API error, if it is one. */
export function statusOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** Conflicts (a JSON-patch `test` or resourceVersion mismatch) mean "re-read, then decide". */
export const isConflict = (error: unknown) =>
  statusOf(error) === 409 || statusOf(error) === 422;
export const isNotFound = (error: unknown) => statusOf(error) === 404;

function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  if (status === undefined) return true; // network errors: connection refused, reset, timeout
  return status === 429 || status >= 500;
}

/** Retries throttling, server errors and network failures with exponential backoff. */
export function withRetries<T>(
  what: string,
  call: () => Promise<T>,
): Promise<T> {
  return pRetry(
    async () => {
      try {
        return await call();
      } catch (error) {
        if (!isTransient(error))
          throw new AbortError(
            error instanceof Error ? error : new Error(String(error)),
          );
        throw error instanceof Error
          ? error
          : new Error(`${what}: ${String(error)}`);
      }
    },
    {
      retries: 6,
      minTimeout: 200,
      maxTimeout: 5_000,
      factor: 2,
      randomize: true,
    },
  );
}

/** Per-request options that abort a Kubernetes call after `timeoutMs`, so one unresponsive cluster cannot stall a caller. */
export function withTimeout(timeoutMs: number): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: request => {
          request.setSignal(AbortSignal.timeout(timeoutMs));
          return new Observable(Promise.resolve(request));
        },
        post: response => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

/** Reads one object; undefined when it does not exist (any more). */
export async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export interface LabelQuery {
  /** A server-side label selector; empty or absent selects everything. */
  labelSelector?: string;
  namespaces?: readonly string[];
  pageSize?: number;
}

export interface Page<T> {
  items: T[];
  metadata?: { _continue?: string; resourceVersion?: string };
}
export type PageRequest = {
  labelSelector?: string;
  limit: number;
  _continue?: string;
};

/** Pages through a list call with a server-side label selector, namespace by namespace; never one unbounded list. */
export async function* paginate<T>(
  query: LabelQuery,
  inNamespace: (namespace: string, request: PageRequest) => Promise<Page<T>>,
  everywhere: (request: PageRequest) => Promise<Page<T>>,
): AsyncGenerator<T> {
  const limit = query.pageSize ?? 500;
  const scopes =
    query.namespaces && query.namespaces.length > 0
      ? query.namespaces
      : [undefined];
  for (const namespace of scopes) {
    let cont: string | undefined;
    do {
      const request = {
        labelSelector: query.labelSelector || undefined,
        limit,
        _continue: cont,
      };
      const page = await (namespace
        ? inNamespace(namespace, request)
        : everywhere(request));
      yield* page.items;
      cont = page.metadata?._continue || undefined;
    } while (cont);
  }
}

/** One page of a list: its items, the token of the page after it, and the snapshot's resourceVersion. */
export interface SnapshotPage<T> {
  items: T[];
  continueToken?: string;
  resourceVersion?: string;
}

/**
 * Every page of a paged list, as one consistent snapshot (each page after the first comes from the
 * first page's snapshot), its items passed through `each` page by page, with the resourceVersion to
 * watch from.
 */
export async function listSnapshot<T, Item>(
  listPage: (continueToken: string | undefined) => Promise<SnapshotPage<T>>,
  each: (item: T) => Item,
): Promise<{ items: Item[]; resourceVersion?: string }> {
  const items: Item[] = [];
  let resourceVersion: string | undefined;
  let token: string | undefined;
  do {
    const page = await listPage(token);
    resourceVersion ??= page.resourceVersion;
    for (const item of page.items) items.push(each(item));
    token = page.continueToken || undefined;
  } while (token);
  return { items, resourceVersion };
}

/** A short description of why a cluster call failed, for reports of clusters that did not answer. */
export function describeClusterError(
  error: unknown,
  timeoutMs: number,
): string {
  if (error instanceof ApiException) {
    const body =
      typeof error.body === 'string' ? error.body : JSON.stringify(error.body);
    let message = body;
    try {
      message = (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      // not JSON: keep the raw body
    }
    return `HTTP ${error.code}: ${message}`.slice(0, 300);
  }
  const { name, message, cause } = (error ?? {}) as {
    name?: string;
    message?: string;
    cause?: unknown;
  };
  if (name === 'AbortError' || name === 'TimeoutError')
    return `no answer within ${timeoutMs} ms`;
  if (message !== undefined) {
    // fetch wraps the socket error (e.g. "connect ECONNREFUSED 127.0.0.1:6443") in its cause.
    const detail = (cause as { message?: string } | undefined)?.message;
    return `${message}${detail ? `: ${detail}` : ''}`.slice(0, 300);
  }
  return String(error);
}
