import {
  isIsoInstantWithOffset,
  type FreezeWindow,
} from '@internal/plugin-sidecars-common';

const WHERE = 'sidecars.freezes';
const EXAMPLE =
  '{ name: year-end, start: "2026-12-20T00:00:00Z", end: "2027-01-04T00:00:00Z", clusters: [prod-eu] }';
const FIELDS = ['name', 'start', 'end', 'clusters', 'namespaces'];

const show = (value: unknown) => JSON.stringify(value) ?? String(value);

function nameList(
  entry: Record<string, unknown>,
  field: 'clusters' | 'namespaces',
  at: string,
  known: readonly string[] | undefined,
): string[] | undefined {
  const value = entry[field];
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every(v => typeof v === 'string' && v !== '')
  )
    throw new Error(
      `${at}.${field} must be a non-empty list of names, got ${show(value)}: list them, or omit ${field} to cover all`,
    );
  const names = value as string[];
  const unknown = known ? names.filter(n => !known.includes(n)) : [];
  if (unknown.length > 0)
    throw new Error(
      `${at}.clusters names unknown cluster(s) ${unknown.join(', ')}, so the freeze would hold nothing there: use configured clusters (${known!.join(', ')})`,
    );
  return names;
}

function instant(
  entry: Record<string, unknown>,
  field: 'start' | 'end',
  at: string,
): string {
  const value = entry[field];
  if (typeof value !== 'string' || !isIsoInstantWithOffset(value))
    throw new Error(
      `${at}.${field} must be an ISO 8601 instant with an offset, got ${show(value)}: write e.g. "2026-12-20T00:00:00Z" (quote it in YAML)`,
    );
  return value;
}

function freezeAt(
  raw: unknown,
  index: number,
  clusterNames: readonly string[],
): FreezeWindow {
  const at = `${WHERE}[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Error(
      `${at} must be an object, got ${show(raw)}: write e.g. ${EXAMPLE}`,
    );
  const entry = raw as Record<string, unknown>;
  const extra = Object.keys(entry).filter(k => !FIELDS.includes(k));
  if (extra.length > 0)
    throw new Error(
      `${at} has unknown field(s) ${extra.join(', ')}: a freeze has ${FIELDS.join(', ')}`,
    );
  const { name } = entry;
  if (typeof name !== 'string' || name.trim() === '')
    throw new Error(
      `${at}.name must be a non-empty text, got ${show(name)}: name the freeze, e.g. "year-end"`,
    );
  const label = `${at} ("${name}")`;
  const start = instant(entry, 'start', label);
  const end = instant(entry, 'end', label);
  if (Date.parse(end) <= Date.parse(start))
    throw new Error(
      `${label}.end (${end}) is not after its start (${start}): a freeze covers [start, end), so set end later than start`,
    );
  const clusters = nameList(
    entry,
    'clusters',
    label,
    clusterNames.length > 0 ? clusterNames : undefined,
  );
  const namespaces = nameList(entry, 'namespaces', label, undefined);
  return {
    name,
    start,
    end,
    ...(clusters ? { clusters } : {}),
    ...(namespaces ? { namespaces } : {}),
  };
}

/**
 * The freezes of `sidecars.freezes`, checked at startup: an invalid one stops the backend with an
 * error that names the entry, the field and the fix. Cluster scopes must name configured clusters
 * (when any are configured), so that a typo cannot leave a cluster unfrozen.
 */
export function parseFreezes(
  value: unknown,
  clusterNames: readonly string[],
): FreezeWindow[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new Error(
      `${WHERE} must be a list of freezes, got ${show(value)}: write e.g. [${EXAMPLE}]`,
    );
  const freezes = value.map((raw, i) => freezeAt(raw, i, clusterNames));
  const names = new Set<string>();
  freezes.forEach((freeze, i) => {
    if (names.has(freeze.name))
      throw new Error(
        `${WHERE}[${i}].name "${freeze.name}" is used by an earlier freeze too: give each freeze its own name, as campaigns report it`,
      );
    names.add(freeze.name);
  });
  return freezes;
}
