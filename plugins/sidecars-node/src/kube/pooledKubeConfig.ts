import { KubeConfig, type RequestContext } from '@kubernetes/client-node';

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/**
 * A KubeConfig whose API clients share one keep-alive connection pool per context. client-node
 * gives every request a new dispatcher, so each call pays a TLS handshake (with client-certificate
 * verification on the API server), which at campaign rates costs both sides more CPU than the
 * request itself. Credentials are still applied per request; only the connections are reused.
 */
export class PooledKubeConfig extends KubeConfig {
  private readonly pools = new Map<string, Dispatcher>();

  override async applySecurityAuthentication(
    context: RequestContext,
  ): Promise<void> {
    await super.applySecurityAuthentication(context);
    const fresh = context.getDispatcher();
    if (fresh === undefined) return;
    const key = this.getCurrentContext();
    const pool = this.pools.get(key);
    // The fresh one is left to the garbage collector: nothing has connected through it, and
    // closing it cost a destroyed-client error, stack trace and all, on every request.
    if (pool) context.setDispatcher(pool);
    else this.pools.set(key, fresh);
  }
}
