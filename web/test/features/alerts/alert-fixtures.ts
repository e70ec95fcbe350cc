import type { ActiveAlert, AlertRule, EpisodeView, TargetView } from '@closewatch/server/api-types';

import { NOW } from '../../fixtures';

const MINUTE = 60_000;

export function ruleFixture(overrides: Partial<AlertRule> = {}): AlertRule {
  return {
    id: 'rule-1',
    name: 'Error spike',
    enabled: true,
    selector: { codes: [1011] },
    condition: { type: 'anomaly', zScore: 3.5, minCount: 5, minRatio: 0.02 },
    forMs: 3 * MINUTE,
    keepFiringForMs: 5 * MINUTE,
    severity: 'critical',
    groupBy: 'service',
    repeatIntervalMs: null,
    targetIds: null,
    builtin: 'error-spike',
    createdAt: NOW - 86_400_000,
    updatedAt: NOW - 86_400_000,
    ...overrides,
  };
}

export function episodeFixture(overrides: Partial<EpisodeView> = {}): EpisodeView {
  return {
    id: 'ep-1',
    ruleId: 'rule-1',
    ruleName: 'Error spike',
    severity: 'critical',
    group: { service: 'chat' },
    pendingSince: NOW - 13 * MINUTE,
    startedAt: NOW - 10 * MINUTE,
    endedAt: null,
    peak: 42,
    baseline: 1.5,
    detail: { count: 42, median: 1.5 },
    topReasons: [
      { code: 1011, codeName: '1011 Internal Error (Error)', template: 'db timeout after {n} ms', count: 30 },
      { code: 1011, codeName: '1011 Internal Error (Error)', template: '', count: 12 },
    ],
    topRoutes: [{ service: 'chat', route: '/ws', count: 42 }],
    rule: ruleFixture(),
    notified: true,
    ...overrides,
  };
}

export function activeFixture(overrides: Partial<ActiveAlert> = {}): ActiveAlert {
  return {
    ruleId: 'rule-1',
    ruleName: 'Error spike',
    severity: 'critical',
    group: { service: 'chat' },
    state: 'firing',
    pendingSince: NOW - 13 * MINUTE,
    episode: episodeFixture(),
    silenced: false,
    ...overrides,
  };
}

export function targetFixture(overrides: Partial<TargetView> = {}): TargetView {
  return {
    id: 'tg-1',
    name: '#ops',
    kind: 'slack',
    urlHint: 'https://hooks.slack.com/…',
    enabled: true,
    createdAt: NOW - MINUTE,
    updatedAt: NOW - MINUTE,
    lastAttempt: null,
    ...overrides,
  };
}
