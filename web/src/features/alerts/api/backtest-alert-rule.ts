import type { BacktestResult, RuleInput } from '@closewatch/server/api-types';
import { useMutation } from '@tanstack/react-query';

import { apiRequest } from '@/lib/api-client';

export interface BacktestQuery {
  rule: RuleInput;
  from: number;
  to: number;
}

export interface BacktestAnswer extends BacktestResult {
  /** The range it covered. */
  from: number;
  to: number;
}

/**
 * `POST /api/v1/alert-rules/backtest`: the episodes a rule, saved or not, would have
 * produced. It changes nothing (a read credential is enough), but it is run on demand
 * from the editor, so it is a mutation rather than a cached query.
 */
export async function backtestAlertRule({ rule, from, to }: BacktestQuery): Promise<BacktestAnswer> {
  const result = await apiRequest<BacktestResult>('/api/v1/alert-rules/backtest', { method: 'POST', body: { rule, from, to } });
  return { ...result, from, to };
}

export function useBacktestAlertRule() {
  return useMutation({ mutationFn: backtestAlertRule });
}
