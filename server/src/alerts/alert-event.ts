import type { AlertGroup } from './group.js';

/**
 * A change of one alert instance, for the live feed and the log. In a module of its own
 * so the dashboard's types (api-types.ts) do not reach the evaluator's storage imports.
 */
export interface AlertEvent {
  type: 'alert';
  change: 'pending' | 'firing' | 'resolved';
  ruleId: string;
  ruleName: string;
  severity: string;
  group: AlertGroup;
  episodeId: string | null;
  value: number;
  at: number;
}
