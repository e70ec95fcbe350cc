/**
 * The API's types, declared once (from the TypeBox schemas the routes validate and
 * serialize with) and imported by the dashboard as `@closewatch/server/api-types`, so a
 * change of a response breaks the dashboard's build, not its users. Types only: nothing
 * here runs in the browser.
 */
import type { Static } from '@sinclair/typebox';
import type { AlertEvent } from './alerts/evaluator.js';
import type { AlertGroupBy, AlertRule, Condition, RuleInput, Selector, Severity } from './alerts/rule.js';
import type { ActiveAlert, EpisodeView, SilenceMatcher, SilenceView, TargetView } from './alerts/views.js';
import type { AttemptSchema } from './alerts/views.js';
import type { ErrorBodySchema } from './http/http-error.js';
import type {
  Breakdown,
  CloseEventView,
  EventsPage,
  GroupBy,
  Lifetimes,
  LiveHello,
  LiveTick,
  Reasons,
  Summary,
  Timeseries,
} from './query/schemas.js';
import type { Status } from './status/status-schema.js';

export type {
  ActiveAlert,
  AlertEvent,
  AlertGroupBy,
  AlertRule,
  Breakdown,
  CloseEventView,
  Condition,
  EpisodeView,
  EventsPage,
  GroupBy,
  Lifetimes,
  LiveHello,
  LiveTick,
  Reasons,
  RuleInput,
  Selector,
  Severity,
  SilenceMatcher,
  SilenceView,
  Status,
  Summary,
  TargetView,
  Timeseries,
};

export type ApiErrorBody = Static<typeof ErrorBodySchema>;
export type DeliveryAttempt = Static<typeof AttemptSchema>;

/** Every message of the live WebSocket. */
export type LiveMessage = LiveHello | LiveTick | AlertEvent;

/** `GET /api/v1/session`. */
export interface SessionState {
  signedIn: boolean;
  auth: 'password' | 'none';
  expiresAt: number | null;
}

/** `POST /api/v1/alert-rules/backtest`. */
export interface BacktestResult {
  episodes: Array<{ start: number; end: number | null; group: { service?: string; route?: string }; peak: number; baseline: number }>;
  minutesEvaluated: number;
}
