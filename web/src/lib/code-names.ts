import type { CustomCloseCodes } from '@closewatch/sdk/close-codes';
import { createContext, useContext } from 'react';

const NONE: CustomCloseCodes = new Map();

/**
 * The team's own code names (3000-4999), given by the app shell from the collector's
 * GET /api/v1/codes; outside it (the sign-in page, a component test) there are none and
 * codes show their registry names.
 */
export const CodeNamesContext = createContext<CustomCloseCodes>(NONE);

/** The custom code names to pass to `describeCloseCode` / `formatCloseCode`. */
export function useCustomCodeNames(): CustomCloseCodes {
  return useContext(CodeNamesContext);
}
