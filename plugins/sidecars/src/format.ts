/** "0.25" → "25%"; undefined when the share is unknown. */
export function formatShare(share: number | undefined): string | undefined {
  return share === undefined ? undefined : `${Math.round(share * 100)}%`;
}

export function pluralize(
  count: number,
  singular: string,
  plural = `${singular}s`,
): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** "90" → "1 min 30 s"; seconds written as an operator reads them. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < 60) return `${seconds} s`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const parts = [
    hours > 0 ? `${hours} h` : '',
    minutes > 0 ? `${minutes} min` : '',
    rest > 0 ? `${rest} s` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/** An ISO 8601 instant in the reader's locale and time zone. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** "user:default/jane" → "jane"; other values unchanged. */
export function formatActor(by: string | undefined): string {
  if (!by) return 'system';
  const match = /^user:(?:[^/]+\/)?(.+)$/.exec(by);
  return match?.[1] ?? by;
}
