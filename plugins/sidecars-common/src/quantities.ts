/** A pod count, or a percent string such as "10%" (whole percents only). */
export type CountOrPercent = number | string;

export type ParsedQuantity =
  { kind: 'count'; count: number } | { kind: 'percent'; percent: number };

const PERCENT = /^(\d{1,3})%$/;

/** Reads a count (a non-negative integer) or a whole percent from 0% to 100%; null for anything else. */
export function parseQuantity(value: CountOrPercent): ParsedQuantity | null {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0
      ? { kind: 'count', count: value }
      : null;
  }
  const match = PERCENT.exec(value);
  if (!match) return null;
  const percent = Number(match[1]);
  return percent <= 100 ? { kind: 'percent', percent } : null;
}

/**
 * A count is returned as is; a percent is scaled against `total` and rounded, as Kubernetes'
 * intstr.GetScaledValueFromIntOrPercent does. Throws on a value parseQuantity rejects: specs are
 * validated before they reach this point.
 */
export function resolveCount(
  value: CountOrPercent,
  total: number,
  rounding: 'down' | 'up',
): number {
  const quantity = parseQuantity(value);
  if (quantity === null) {
    throw new RangeError(`invalid count or percent: ${JSON.stringify(value)}`);
  }
  if (quantity.kind === 'count') return quantity.count;
  const scaled = (quantity.percent * total) / 100;
  return rounding === 'up' ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * How many pods may be unavailable at once: a percent rounds down like a Deployment's maxUnavailable,
 * but the result is at least 1 (so a campaign always makes progress) and at most `total`.
 */
export function resolveMaxUnavailable(
  value: CountOrPercent,
  total: number,
): number {
  if (total <= 0) return 0;
  return Math.min(total, Math.max(1, resolveCount(value, total, 'down')));
}
