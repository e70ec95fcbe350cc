/**
 * Reason templates group high-cardinality close reasons: `user 8812 banned` and
 * `user 17 banned` are one row, `user {n} banned`, while the raw reason stays on the
 * event. Placeholders: `{uuid}`, `{ip}`, `{email}`, `{hex}`, `{n}`.
 */

// Order matters: a UUID contains hex runs and numbers, an IP contains numbers.
const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '{uuid}'],
  // The local part stops at punctuation a reason uses around it ("user:", "to="), so
  // that context survives in the template.
  [/(?<![\w.+-])[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b/gi, '{email}'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, '{ip}'],
  // Hex ids: 0x-prefixed, or runs of 8+ hex characters mixing digits and letters. A
  // word like "deadbeef" has no digit and stays; a long decimal number has no letter
  // and is a {n}, so "user 17 banned" and "user 12345678 banned" share a template.
  [/\b(?:0x[0-9a-f]+|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,})\b/gi, '{hex}'],
  // Digits glued to letters are part of an identifier ("v2", "E1234", "30s", "v1.2.3").
  // The boundaries exclude digits and inner separators too, or backtracking would
  // template a piece of the identifier ("E1{n}", "v1.{n}").
  [/(?<![\p{L}\p{N}_]|[\p{L}\p{N}_][.,])[-+]?\d+(?:[.,]\d+)*(?![\p{L}\p{N}_]|[.,][\p{L}\p{N}_])/gu, '{n}'],
];

/** Longest template kept, in characters; reasons are short (123 bytes on the wire). */
export const MAX_TEMPLATE_LENGTH = 160;

/**
 * Turns a close reason into its template.
 *
 * @param reason The raw reason; `''` gives `''`.
 */
export function reasonTemplate(reason: string): string {
  if (reason === '') return '';
  let out = reason;
  for (const [pattern, placeholder] of RULES) out = out.replace(pattern, placeholder);
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > MAX_TEMPLATE_LENGTH ? out.slice(0, MAX_TEMPLATE_LENGTH) : out;
}
