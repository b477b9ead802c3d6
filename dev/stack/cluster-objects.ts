import {
  ApiException,
  KubeConfig,
  KubernetesObjectApi,
  type KubernetesObject,
} from '@kubernetes/client-node';

export function kubeConfigFrom(kubeconfigPath: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return kc;
}

/** Creates each object unless it already exists, so seeding is idempotent across restarts. */
export async function createIfMissing(
  kc: KubeConfig,
  objects: KubernetesObject[],
): Promise<number> {
  const client = KubernetesObjectApi.makeApiClient(kc);
  let created = 0;
  for (const object of objects) {
    try {
      await client.create(object);
      created += 1;
    } catch (error) {
      if (!(error instanceof ApiException && error.code === 409))
        throw describeFailure(object, error);
    }
  }
  return created;
}

function describeFailure(object: KubernetesObject, error: unknown): Error {
  const where = `${object.kind} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name}`;
  const detail =
    error instanceof ApiException
      ? `HTTP ${error.code}: ${String(error.body)}`
      : String(error);
  return new Error(`could not create ${where}: ${detail}`);
}
