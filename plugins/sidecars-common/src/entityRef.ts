// Backstage entity references, `[kind:][namespace/]name`, validated the way the catalog validates
// each part (KubernetesValidatorFunctions in @backstage/catalog-model).

export interface EntityRefParts {
  kind?: string;
  namespace?: string;
  name: string;
}

export type EntityRefParseResult =
  { ok: true; ref: EntityRefParts } | { ok: false; error: string };

const KIND = /^[a-zA-Z][a-z0-9A-Z]*$/;
const NAMESPACE = /^[a-z0-9]+(?:-+[a-z0-9]+)*$/;
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const MAX_PART_LENGTH = 63;

export function parseEntityRef(ref: string): EntityRefParseResult {
  const colon = ref.indexOf(':');
  const kind = colon === -1 ? undefined : ref.slice(0, colon);
  const rest = colon === -1 ? ref : ref.slice(colon + 1);
  const slash = rest.indexOf('/');
  const namespace = slash === -1 ? undefined : rest.slice(0, slash);
  const name = slash === -1 ? rest : rest.slice(slash + 1);

  if (
    kind !== undefined &&
    (kind.length > MAX_PART_LENGTH || !KIND.test(kind))
  ) {
    return {
      ok: false,
      error: `kind "${kind}" is invalid (letters and digits, starting with a letter)`,
    };
  }
  if (
    namespace !== undefined &&
    (namespace.length > MAX_PART_LENGTH || !NAMESPACE.test(namespace))
  ) {
    return {
      ok: false,
      error: `namespace "${namespace}" is invalid (lowercase letters, digits and "-")`,
    };
  }
  if (name.length > MAX_PART_LENGTH || !NAME.test(name)) {
    return {
      ok: false,
      error: `name "${name}" is invalid (at most 63 letters, digits, "-", "_" or ".", alphanumeric at both ends)`,
    };
  }
  const parts: EntityRefParts = { name };
  if (kind !== undefined) parts.kind = kind;
  if (namespace !== undefined) parts.namespace = namespace;
  return { ok: true, ref: parts };
}
