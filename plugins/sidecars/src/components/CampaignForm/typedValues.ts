// The form keeps every input as typed; these turn the text into the spec's values. What does not
// parse is sent as typed, for the API to explain on the field.

export function listOrUndefined(text: string): string[] | undefined {
  const items = text
    .split(',')
    .map(item => item.trim())
    .filter(Boolean);
  return items.length > 0 ? items : undefined;
}

export function textOrUndefined(text: string): string | undefined {
  return text.trim() || undefined;
}

/** "5" is a pod count, anything else ("10%", or a typo the API will explain) is sent as typed. */
export function countOrPercent(text: string): number | string {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

export function optionalCountOrPercent(
  text: string,
): number | string | undefined {
  return text.trim() === '' ? undefined : countOrPercent(text);
}

/** Empty is left to the API's default; anything else is sent as a number, for the API to check. */
export function optionalNumber(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}
