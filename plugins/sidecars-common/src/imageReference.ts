// Container image references as Docker's distribution/reference grammar defines them, limited to
// sha256 digests: `[registry[:port]/]repository[:tag][@sha256:<64 hex>]`.

export interface ImageReference {
  /** Registry host (and port) when the reference names one, e.g. `registry.example.com:5000`. */
  registry?: string;
  /** Repository path without the registry, e.g. `istio/proxyv2`. */
  repository: string;
  tag?: string;
  /** `sha256:<64 lowercase hex>`. */
  digest?: string;
}

export type ImageReferenceParseResult =
  { ok: true; image: ImageReference } | { ok: false; error: string };

const DOMAIN_COMPONENT = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const PATH_COMPONENT = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const PORT = /^\d{1,5}$/;
const MAX_NAME_LENGTH = 255;

function looksLikeRegistry(component: string): boolean {
  return (
    component.includes('.') ||
    component.includes(':') ||
    component === 'localhost'
  );
}

function registryProblem(registry: string): string | null {
  const [host = '', port, ...rest] = registry.split(':');
  if (rest.length > 0 || (port !== undefined && !PORT.test(port))) {
    return `registry "${registry}" has an invalid port (expected host:port with a numeric port)`;
  }
  if (!host.split('.').every(component => DOMAIN_COMPONENT.test(component))) {
    return `registry "${registry}" is not a valid host name`;
  }
  return null;
}

export function parseImageReference(
  reference: string,
): ImageReferenceParseResult {
  if (reference.length === 0)
    return { ok: false, error: 'the image reference is empty' };
  if (/\s/.test(reference))
    return { ok: false, error: 'the image reference contains whitespace' };

  const [nameAndTag = '', digest, ...extraDigests] = reference.split('@');
  if (extraDigests.length > 0)
    return {
      ok: false,
      error: 'the image reference contains more than one "@"',
    };
  if (digest !== undefined && !DIGEST.test(digest)) {
    return {
      ok: false,
      error: `digest "${digest}" is not "sha256:" followed by 64 lowercase hexadecimal characters`,
    };
  }

  const lastSlash = nameAndTag.lastIndexOf('/');
  const tagSeparator = nameAndTag.indexOf(':', lastSlash + 1);
  const name =
    tagSeparator === -1 ? nameAndTag : nameAndTag.slice(0, tagSeparator);
  const tag =
    tagSeparator === -1 ? undefined : nameAndTag.slice(tagSeparator + 1);
  if (tag !== undefined && !TAG.test(tag)) {
    return {
      ok: false,
      error: `tag "${tag}" is invalid (up to 128 letters, digits, "_", "." or "-", not starting with "." or "-")`,
    };
  }
  if (name.length === 0)
    return { ok: false, error: 'the image reference has no repository name' };
  if (name.length > MAX_NAME_LENGTH) {
    return {
      ok: false,
      error: `the repository name is longer than ${MAX_NAME_LENGTH} characters`,
    };
  }

  const components = name.split('/');
  const first = components[0] ?? '';
  const registry =
    components.length > 1 && looksLikeRegistry(first) ? first : undefined;
  if (registry !== undefined) {
    const problem = registryProblem(registry);
    if (problem) return { ok: false, error: problem };
  }
  const path = registry === undefined ? components : components.slice(1);
  const badComponent = path.find(component => !PATH_COMPONENT.test(component));
  if (badComponent !== undefined) {
    return {
      ok: false,
      error: `repository path component "${badComponent}" is invalid (lowercase letters and digits, separated by ".", "_", "__" or "-")`,
    };
  }

  const image: ImageReference = { repository: path.join('/') };
  if (registry !== undefined) image.registry = registry;
  if (tag !== undefined) image.tag = tag;
  if (digest !== undefined) image.digest = digest;
  return { ok: true, image };
}
