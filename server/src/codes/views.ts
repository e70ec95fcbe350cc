import {
  describeCloseCode,
  isCloseCategory,
  isNameableCode,
  NAMEABLE_CODE_MAX,
  NAMEABLE_CODE_MIN,
  REGISTERED_CODES,
  STANDARD_CODES,
  CLOSE_CATEGORIES,
} from '@closewatch/sdk/close-codes';
import { HttpError } from '../http/http-error.js';
import type { CodeNameFields, CodeNameRow } from '../storage/codes/code-name-store.js';
import type { CodeName, CodeNameInput } from './api-schemas.js';

/** The registry's entry of a code as the API shows it. */
export function registryView(code: number): CodeName {
  const info = describeCloseCode(code);
  return { code, name: info.name, shortName: info.shortName, meaning: info.meaning, hint: info.hint, category: info.category, custom: false, retry: null, alertWorthy: null, source: 'registry', updatedAt: null };
}

export function customView(row: CodeNameRow): CodeName {
  const base = describeCloseCode(row.code);
  return {
    code: row.code,
    name: row.name,
    shortName: 'Other',
    meaning: row.meaning === '' ? base.meaning : row.meaning,
    hint: base.hint,
    category: row.category,
    custom: true,
    retry: row.retry,
    alertWorthy: row.alertWorthy,
    source: row.source,
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** Every named code: the registry's (1000-1015, 3000, 3003, 3008) and the custom ones, by code. */
export function allCodes(rows: readonly CodeNameRow[]): CodeName[] {
  const byCode = new Map<number, CodeName>();
  for (const code of [...STANDARD_CODES, ...REGISTERED_CODES]) byCode.set(code, registryView(code));
  for (const row of rows) byCode.set(row.code, customView(row));
  return [...byCode.values()].sort((a, b) => a.code - b.code);
}

/** A path's `{code}`, or a 400 saying what codes there are. */
export function parseCodeParam(raw: string): number {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw new HttpError(400, 'INVALID_CODE', `params.code: "${raw.slice(0, 20)}" is not a close code; give an integer 0-65535, such as 4001`);
  }
  return Number(raw);
}

/** A code a team may name, or a 400 explaining why this one is not. */
export function checkNameable(code: number, field: string): number {
  if (isNameableCode(code)) return code;
  if (code >= 1000 && code <= 2999) {
    throw new HttpError(
      400,
      'BUILTIN_CODE',
      `${field}: ${code} belongs to the WebSocket protocol (RFC 6455, ${describeCloseCode(code).name}) and cannot be renamed; name codes ${NAMEABLE_CODE_MIN}-${NAMEABLE_CODE_MAX}`,
    );
  }
  throw new HttpError(400, 'CODE_NOT_NAMEABLE', `${field}: ${code} is outside the codes teams name (${NAMEABLE_CODE_MIN}-3999 registered, 4000-${NAMEABLE_CODE_MAX} private)`);
}

/** A name with its defaults, or a 400 naming the field. */
export function checkInput(input: CodeNameInput, prefix: string): CodeNameFields {
  const name = input.name.trim();
  if (name === '') throw new HttpError(400, 'INVALID_CODE_NAME', `${prefix}name is blank; give 1-64 characters such as "Room closed"`);
  const meaning = (input.meaning ?? '').trim();
  if (/[\r\n]/.test(meaning)) throw new HttpError(400, 'INVALID_CODE_NAME', `${prefix}meaning must be one line (no line breaks)`);
  const category = input.category ?? 'application';
  if (!isCloseCategory(category)) {
    throw new HttpError(400, 'INVALID_CODE_NAME', `${prefix}category "${category.slice(0, 30)}" is not a category; use one of ${CLOSE_CATEGORIES.join(', ')}`);
  }
  return { name, meaning, category, retry: input.retry ?? false, alertWorthy: input.alertWorthy ?? false };
}
