/**
 * Escaping of untrusted text (titles, names, evidence, ids from a cloned repository) for Markdown hovers.
 * Every ASCII punctuation character is backslash-escaped (CommonMark allows that for all of them), so user text
 * can start no emphasis, link, image, HTML tag, entity, heading, list, table or autolink; line breaks become
 * spaces and control and bidi-format characters are dropped.
 */

const PUNCT = /[!-/:-@[-`{-~]/g;
const DROP = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu;

/** Untrusted text as literal Markdown text, on one line, shortened to `max` code points. */
export function mdText(text: unknown, max = 300): string {
  let s = String(text ?? '').replace(/\s+/g, ' ').replace(DROP, '').trim();
  const cps = Array.from(s);
  if (cps.length > max) s = cps.slice(0, max - 1).join('') + '…';
  return s.replace(PUNCT, '\\$&');
}

/** An id as literal Markdown text (ids may carry `@` and `.` in suggested threats). */
export const mdId = (id: string) => mdText(id, 130);
