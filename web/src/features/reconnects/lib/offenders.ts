import type { Reconnects } from '@closewatch/server/api-types';

import { formatCount, formatShare } from '@/lib/format';

import { formatDelay } from './reconnect-figures';

type Offender = Reconnects['offenders'][number];

export const POPULATION_LABELS: Readonly<Record<Offender['kind'], string>> = {
  agent: 'User agent',
  keyPrefix: 'Client key prefix',
};

/** Why a fixed delay is flagged: the marker's explanation, shown beside the table too. */
export const FIXED_DELAY_HINT =
  'A fixed delay shows as a spike, not a spread: every client of this population waits the same time, so after a restart they all come back in the same second. Add a random jitter (5-30 s) to the client\u2019s reconnect delay.';

export interface OffenderRow {
  key: string;
  kind: Offender['kind'];
  population: string;
  value: string;
  reconnected: string;
  tooFast: string;
  tooFastShare: string;
  medianDelay: string;
  spread: string;
  fixedDelay: boolean;
}

/** The offenders table's rows, in the collector's order (worst first). */
export function offenderRows(offenders: Reconnects['offenders']): OffenderRow[] {
  return offenders.map((o) => ({
    key: `${o.kind}:${o.value}`,
    kind: o.kind,
    population: POPULATION_LABELS[o.kind],
    value: o.value,
    reconnected: formatCount(o.reconnected),
    tooFast: formatCount(o.tooFast),
    tooFastShare: formatShare(o.tooFastShare),
    medianDelay: formatDelay(o.medianDelayMs),
    spread: formatDelay(o.spreadMs),
    fixedDelay: o.fixedDelay,
  }));
}
