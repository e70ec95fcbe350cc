import type { InstanceRow } from '../storage/alerts/alert-store.js';
import type { RuleSpec } from './rule.js';

/** What one evaluation does to one alert instance. */
export interface Step {
  /** The instance after this evaluation; null when it is (back to) inactive. */
  next: Omit<InstanceRow, 'episodeId'> | null;
  /** It went firing now: an episode begins. */
  began: boolean;
  /** It resolved now: its episode ends. */
  ended: boolean;
}

/**
 * inactive -> pending when the condition holds; pending -> firing once it held for
 * `forMs` (back to inactive if it stops first); firing -> resolved once it has not held
 * for `keepFiringForMs` (a short dip does not end an episode, so it cannot flap).
 */
export function step(
  prev: Omit<InstanceRow, 'episodeId'> | undefined,
  holds: boolean,
  now: number,
  rule: Pick<RuleSpec, 'forMs' | 'keepFiringForMs'>,
  id: { ruleId: string; groupKey: string },
): Step {
  if (holds) {
    if (prev === undefined) {
      const firing = rule.forMs === 0;
      return { next: { ...id, state: firing ? 'firing' : 'pending', pendingSince: now, lastTrueAt: now }, began: firing, ended: false };
    }
    if (prev.state === 'pending') {
      const firing = now - prev.pendingSince >= rule.forMs;
      return { next: { ...prev, state: firing ? 'firing' : 'pending', lastTrueAt: now }, began: firing, ended: false };
    }
    return { next: { ...prev, lastTrueAt: now }, began: false, ended: false };
  }
  if (prev === undefined) return { next: null, began: false, ended: false };
  if (prev.state === 'pending') return { next: null, began: false, ended: false };
  if (now - prev.lastTrueAt >= rule.keepFiringForMs) return { next: null, began: false, ended: true };
  return { next: prev, began: false, ended: false };
}
