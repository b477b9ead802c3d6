import type { FieldError } from '@internal/plugin-sidecars-common';

/** Deeper than any request of this API needs; deep enough input would overflow recursive validators and message helpers. */
export const MAX_JSON_DEPTH = 32;

/** Names that reach an object's prototype when assigned or read; no field of this API has them. */
const RESERVED_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

export const reservedKeyProblem = (field: string, key: string): FieldError => ({
  field,
  message: `"${key}" is not allowed as a field name: remove it (no field of this API is called __proto__, constructor or prototype)`,
});

/**
 * The first reason a parsed JSON value must not be merged or validated: nesting deeper than
 * MAX_JSON_DEPTH, or a reserved key at any level. Walks own keys with an explicit stack, so neither
 * depth nor size can overflow the call stack, and stops at the depth limit.
 */
export function jsonShapeProblem(
  value: unknown,
  prefix: readonly string[] = [],
): FieldError | undefined {
  const pending: Array<{ node: unknown; path: readonly string[] }> = [
    { node: value, path: prefix },
  ];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { node, path } = next;
    if (typeof node !== 'object' || node === null) continue;
    if (path.length - prefix.length >= MAX_JSON_DEPTH) {
      return {
        field: path.join('.'),
        message: `the body is nested more than ${MAX_JSON_DEPTH} levels deep here: no request of this API needs that, send the value the field documents`,
      };
    }
    for (const [key, child] of Object.entries(node)) {
      const childPath = [...path, key];
      if (RESERVED_KEYS.has(key))
        return reservedKeyProblem(childPath.join('.'), key);
      pending.push({ node: child, path: childPath });
    }
  }
  return undefined;
}

/** A query parameter name (e.g. `a[__proto__][b]`, which the query parser would drop unseen) that contains a reserved key. */
export function reservedQueryKey(
  names: Iterable<string>,
): FieldError | undefined {
  for (const name of names) {
    const key = name.split(/[[\].]/).find(part => RESERVED_KEYS.has(part));
    if (key !== undefined) return reservedKeyProblem(name, key);
  }
  return undefined;
}
