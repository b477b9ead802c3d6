import {
  Client,
  Connection,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  type ConnectionOptions,
} from '@temporalio/client';
import { ServiceUnavailableError } from '@backstage/errors';
import { temporalConnectionOptions } from '@internal/plugin-sidecars-node';
import type { TemporalSettings } from '../config';

const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

function connectionOptions(settings: TemporalSettings): ConnectionOptions {
  return {
    ...temporalConnectionOptions(settings, {
      certFile: 'sidecars.temporal.tls.certFile',
      keyFile: 'sidecars.temporal.tls.keyFile',
    }),
    connectTimeout: '3s',
    // Temporal's retry interceptor only retries what is safe to retry; fewer attempts so an outage answers 503 within seconds.
    interceptors: [
      makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 3 })),
    ],
  };
}

/** A client whose connection opens on first use, so the backend starts even while Temporal is down. */
export function createTemporalClient(settings: TemporalSettings): Client {
  return new Client({
    connection: Connection.lazy(connectionOptions(settings)),
    namespace: settings.namespace,
  });
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (
    let current = error;
    current !== undefined && current !== null && chain.length < 5;
    current = (current as { cause?: unknown }).cause
  ) {
    chain.push(current);
  }
  return chain;
}

/** A call that ran out of its deadline: Temporal answered nothing in time (or, for a query, no worker did). */
export function isDeadlineExceeded(error: unknown): boolean {
  return causes(error).some(e => {
    const { code, message } = e as { code?: unknown; message?: unknown };
    return (
      code === GRPC_DEADLINE_EXCEEDED ||
      (typeof message === 'string' && /deadline/i.test(message))
    );
  });
}

export function isTemporalUnavailable(error: unknown): boolean {
  return causes(error).some(e => {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED)
      return true;
    return (
      typeof message === 'string' &&
      /Failed to connect|ECONNREFUSED|No connection established|deadline/i.test(
        message,
      )
    );
  });
}

/** Runs a Temporal call; an unreachable Temporal becomes a 503 that says so. */
export async function temporalCall<T>(
  what: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isTemporalUnavailable(error)) {
      throw new ServiceUnavailableError(
        `Temporal is not reachable, so the campaign service cannot ${what} right now; try again shortly`,
      );
    }
    throw error;
  }
}
