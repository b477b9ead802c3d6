// Kubernetes resource quantities ("250m", "64Mi", "1.5G") as plain numbers, for shares of a pod's requests.
const SUFFIXES: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY =
  /^([+-]?\d+(?:\.\d+)?|[+-]?\.\d+)(?:[eE]([+-]?\d+))?([a-zA-Z]*)$/;

export function quantityValue(
  quantity: string | undefined,
): number | undefined {
  if (quantity === undefined) return undefined;
  const match = QUANTITY.exec(quantity.trim());
  if (!match) return undefined;
  const [, number = '0', exponent, suffix = ''] = match;
  const multiplier = SUFFIXES[suffix];
  if (multiplier === undefined) return undefined;
  return Number(number) * 10 ** Number(exponent ?? 0) * multiplier;
}
