import type { CustomCloseCodes } from '@closewatch/sdk/close-codes';
import type { CodeName } from '@closewatch/server/api-types';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { apiGet } from '@/lib/api-client';

export const CODES_KEY = 'codes';
export const codesQueryKey = [CODES_KEY] as const;

/** `GET /api/v1/codes`: every named code, the registry's and the team's own (`custom`). */
export async function getCodes(signal?: AbortSignal): Promise<CodeName[]> {
  const response = await apiGet<{ codes: CodeName[] }>('/api/v1/codes', undefined, signal);
  return response.codes;
}

export function getCodesQueryOptions() {
  return queryOptions({ queryKey: codesQueryKey, queryFn: ({ signal }) => getCodes(signal) });
}

export function useCodes() {
  return useQuery(getCodesQueryOptions());
}

/** The custom entries as the registry's lookup (`describeCloseCode(code, names)`). */
export function toCustomCodes(codes: readonly CodeName[]): CustomCloseCodes {
  return new Map(
    codes
      .filter((c) => c.custom)
      .map((c) => [c.code, { name: c.name, meaning: c.meaning, category: c.category, retry: c.retry ?? false, alertWorthy: c.alertWorthy ?? false }]),
  );
}

const NONE: CustomCloseCodes = new Map();

/** The team's own code names, from the same query (empty until it answers, or when it cannot). */
export function useCodeNames(): CustomCloseCodes {
  return useQuery({ ...getCodesQueryOptions(), select: toCustomCodes }).data ?? NONE;
}
