import type { CloseCategory } from '@closewatch/sdk/close-codes';

/** Category colors are theme variables so light and dark themes can tune contrast. */
export function categoryColor(category: CloseCategory): string {
  return `var(--cat-${category})`;
}

const SERIES_COLORS = 12;

// Codes that show up in most incidents keep one color everywhere, so a 1006 on the
// lifetime chart is the same red as on the distribution.
const FIXED: Readonly<Record<string, number>> = {
  '1000': 0,
  '1001': 1,
  '1006': 2,
  '1011': 3,
  '1013': 4,
  '1012': 5,
  '1008': 6,
  '1005': 7,
  none: 8,
  '1002': 9,
  '1009': 10,
  '1014': 11,
};

/** A stable color for a series key (a code, `none`, a service...). */
export function seriesColor(key: string): string {
  const fixed = FIXED[key];
  if (fixed !== undefined) return `var(--series-${fixed})`;
  let hash = 0;
  for (let i = 0; i < key.length; i += 1) hash = (hash * 31 + key.charCodeAt(i)) >>> 0;
  return `var(--series-${hash % SERIES_COLORS})`;
}
