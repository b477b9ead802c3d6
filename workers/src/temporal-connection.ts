import { readFileSync } from 'node:fs';

/**
 * Where Temporal is: TEMPORAL_ADDRESS (default localhost:7233) and TEMPORAL_NAMESPACE; for a
 * Temporal cluster or Temporal Cloud, TEMPORAL_API_KEY or mTLS via TEMPORAL_TLS_CERT and
 * TEMPORAL_TLS_KEY (file paths), TEMPORAL_TLS_CA for a private CA.
 */
export interface TemporalSettings {
  /** Accepted by both Connection.connect (clients) and NativeConnection.connect (workers). */
  connection: {
    address: string;
    tls?: { clientCertPair?: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer };
    apiKey?: string;
  };
  namespace: string;
}

export function temporalFromEnvironment(env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  const read = (path: string | undefined) => (path ? readFileSync(path) : undefined);
  const cert = read(env.TEMPORAL_TLS_CERT);
  const key = read(env.TEMPORAL_TLS_KEY);
  if (Boolean(cert) !== Boolean(key)) throw new Error('set both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY for mTLS, or neither');
  const ca = read(env.TEMPORAL_TLS_CA);
  const tls = cert || ca || env.TEMPORAL_API_KEY ? { ...(cert && key ? { clientCertPair: { crt: cert, key } } : {}), ...(ca ? { serverRootCACertificate: ca } : {}) } : undefined;
  return {
    connection: {
      address: env.TEMPORAL_ADDRESS ?? 'localhost:7233',
      ...(tls ? { tls } : {}),
      ...(env.TEMPORAL_API_KEY ? { apiKey: env.TEMPORAL_API_KEY } : {}),
    },
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
  };
}
