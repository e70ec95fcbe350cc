import { isCloseCodeInteger } from '@closewatch/sdk/close-codes';

/** How the API spells a code in keys and filters: the number, or `none` for no code. */
export function codeKey(code: number | null): string {
  return code === null ? 'none' : String(code);
}

/** The inverse of codeKey; `undefined` when the key is not a code. */
export function parseCodeKey(key: string): number | null | undefined {
  if (key === 'none') return null;
  if (!/^\d+$/.test(key)) return undefined;
  const code = Number(key);
  return isCloseCodeInteger(code) ? code : undefined;
}
