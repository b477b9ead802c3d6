import { readFileSync } from 'node:fs';

/** Where Temporal is and how to authenticate, as the backend's app-config and the worker's environment both describe it. */
export interface TemporalEndpoint {
  address: string;
  /** File paths: mTLS with certFile + keyFile, caFile for a private CA. */
  tls?: {
    caFile?: string;
    certFile?: string;
    keyFile?: string;
    serverName?: string;
  };
  /** Temporal Cloud API key. */
  apiKey?: string;
}

/** The options Connection.connect (clients) and NativeConnection.connect (workers) both accept. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: {
    clientCertPair?: { crt: Buffer; key: Buffer };
    serverRootCACertificate?: Buffer;
    serverNameOverride?: string;
  };
  apiKey?: string;
}

/**
 * Connection options for an endpoint, reading the TLS files. TLS is on when a tls section or an API
 * key is given (Temporal Cloud requires TLS with API keys). `where` names the settings in errors.
 */
export function temporalConnectionOptions(
  endpoint: TemporalEndpoint,
  where: { certFile: string; keyFile: string },
): TemporalConnectionOptions {
  const read = (path: string | undefined) =>
    path ? readFileSync(path) : undefined;
  const { tls } = endpoint;
  const cert = read(tls?.certFile);
  const key = read(tls?.keyFile);
  if (Boolean(cert) !== Boolean(key))
    throw new Error(
      `set both ${where.certFile} and ${where.keyFile} for mTLS, or neither`,
    );
  const ca = read(tls?.caFile);
  const useTls = tls !== undefined || Boolean(endpoint.apiKey);
  return {
    address: endpoint.address,
    ...(useTls
      ? {
          tls: {
            ...(cert && key ? { clientCertPair: { crt: cert, key } } : {}),
            ...(ca ? { serverRootCACertificate: ca } : {}),
            ...(tls?.serverName ? { serverNameOverride: tls.serverName } : {}),
          },
        }
      : {}),
    ...(endpoint.apiKey ? { apiKey: endpoint.apiKey } : {}),
  };
}
