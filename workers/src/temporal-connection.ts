import {
  temporalConnectionOptions,
  type TemporalConnectionOptions,
} from '@internal/plugin-sidecars-node';

/**
 * Where Temporal is: TEMPORAL_ADDRESS (default localhost:7233) and TEMPORAL_NAMESPACE; for a
 * Temporal cluster or Temporal Cloud, TEMPORAL_API_KEY or mTLS via TEMPORAL_TLS_CERT and
 * TEMPORAL_TLS_KEY (file paths), TEMPORAL_TLS_CA for a private CA, TEMPORAL_TLS_SERVER_NAME to
 * override the name checked against the server's certificate.
 */
export interface TemporalSettings {
  /** Accepted by both Connection.connect (clients) and NativeConnection.connect (workers). */
  connection: TemporalConnectionOptions;
  namespace: string;
}

export function temporalFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): TemporalSettings {
  const tls = {
    certFile: env.TEMPORAL_TLS_CERT,
    keyFile: env.TEMPORAL_TLS_KEY,
    caFile: env.TEMPORAL_TLS_CA,
    serverName: env.TEMPORAL_TLS_SERVER_NAME,
  };
  const anyTls = Object.values(tls).some(Boolean);
  return {
    connection: temporalConnectionOptions(
      {
        address: env.TEMPORAL_ADDRESS ?? 'localhost:7233',
        ...(anyTls ? { tls } : {}),
        ...(env.TEMPORAL_API_KEY ? { apiKey: env.TEMPORAL_API_KEY } : {}),
      },
      { certFile: 'TEMPORAL_TLS_CERT', keyFile: 'TEMPORAL_TLS_KEY' },
    ),
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
  };
}
