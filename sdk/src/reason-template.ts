/**
 * Reason templates group high-cardinality close reasons: `user 8812 banned` and
 * `user 17 banned` are one row, `user {n} banned`, while the raw reason stays on the
 * event. Placeholders: `{uuid}`, `{ip}`, `{email}`, `{hex}`, `{n}`.
 */

// Order matters: a UUID contains hex runs and numbers, an IP contains numbers.
const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '{uuid}'],
  [/\b[^\s@]+@[^\s@]+\.[a-z]{2,}\b/gi, '{email}'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, '{ip}'],
  // Hex ids: long runs of hex that hold at least one digit, so words like "deadbeef"
  // of 8+ letters only stay words only when they have no digit.
  [/\b(?:0x)?(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi, '{hex}'],
  [/(?<![\p{L}_])[-+]?\d+(?:[.,]\d+)*(?![\p{L}_])/gu, '{n}'],
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
