import { describeCloseCode, type CustomCloseCodes } from '@closewatch/sdk/close-codes';
import type { CloseFilters } from './filters.js';
import type { CloseEventView } from './schemas.js';

/**
 * Whether an event passes a live client's filters: the same meaning as the SQL of
 * `sources.ts`, evaluated in JS because one query per tick serves every client. A named
 * code is in the category the team gave it (`names`: the names current at this tick).
 */
export function matchesFilters(event: CloseEventView, filters: CloseFilters, names: CustomCloseCodes | undefined = filters.customCodes): boolean {
  if (filters.service !== undefined && event.service !== filters.service) return false;
  if (filters.instance !== undefined && event.instance !== filters.instance) return false;
  if (filters.route !== undefined && event.route !== filters.route) return false;
  if (filters.initiator !== undefined && event.initiator !== filters.initiator) return false;
  if (filters.codes !== undefined && !filters.codes.includes(event.code)) return false;
  if (filters.category !== undefined && describeCloseCode(event.code, names).category !== filters.category) return false;
  if (filters.label !== undefined && event.labels[filters.label.key] !== filters.label.value) return false;
  return true;
}
