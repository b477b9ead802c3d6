import {
  ApiException,
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  PatchStrategy,
  RequestContext,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { JsonPatchOperation } from './api';

const http = new IsomorphicFetchHttpLibrary();

/**
 * The worker's high-volume calls (pod patches and pod lists) parse what the API server answers as
 * plain JSON, the way a watch delivers objects, instead of through client-node's model classes:
 * that conversion cost the worker about a millisecond of CPU per pod, which at campaign rates
 * competes with the API server for the same cores. Failures throw client-node's ApiException with
 * the status code, so conflicts, not-found and retries are told apart as for any other call.
 */
async function jsonRequest<T>(
  kc: KubeConfig,
  method: HttpMethod,
  path: string,
  patch?: JsonPatchOperation[],
): Promise<T> {
  const server = kc.getCurrentCluster()?.server;
  if (!server)
    throw new Error(
      `kubeconfig context ${kc.getCurrentContext()} names no cluster server`,
    );
  const request = new RequestContext(`${server}${path}`, method);
  request.setHeaderParam('Accept', 'application/json');
  if (patch) {
    request.setHeaderParam('Content-Type', PatchStrategy.JsonPatch);
    request.setBody(JSON.stringify(patch));
  }
  await kc.applySecurityAuthentication(request);
  const response = await http.send(request).toPromise();
  const text = await response.body.text();
  if (response.httpStatusCode < 200 || response.httpStatusCode > 299)
    throw new ApiException(
      response.httpStatusCode,
      `${method} ${path}`,
      text,
      response.headers,
    );
  return JSON.parse(text) as T;
}

export const jsonPatch = <T>(
  kc: KubeConfig,
  path: string,
  operations: JsonPatchOperation[],
) => jsonRequest<T>(kc, HttpMethod.PATCH, path, operations);

export interface JsonList<T> {
  metadata?: { resourceVersion?: string; continue?: string };
  items: T[];
}

/** One page of a list at `path` (e.g. /api/v1/pods), as plain JSON. */
export function jsonListPage<T>(
  kc: KubeConfig,
  path: string,
  query: { labelSelector?: string; limit: number; continue?: string },
): Promise<JsonList<T>> {
  const params = new URLSearchParams({ limit: String(query.limit) });
  if (query.labelSelector) params.set('labelSelector', query.labelSelector);
  if (query.continue) params.set('continue', query.continue);
  return jsonRequest<JsonList<T>>(kc, HttpMethod.GET, `${path}?${params}`);
}
