/** `s` shortened to at most `max` characters (UTF-16 units, as the schema counts), ending in `…`, never inside a surrogate pair. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  if (/[\ud800-\udbff]/.test(s[end - 1] ?? '')) end--;
  return s.slice(0, end).trimEnd() + '…';
}
