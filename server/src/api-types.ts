/**
 * The API's types, declared once (from the TypeBox schemas the routes validate and
 * serialize with) and imported by the dashboard as `@closewatch/server/api-types`, so a
 * change of a response breaks the dashboard's build, not its users. Types only: nothing
 * here runs in the browser.
 */
import type { Static } from '@sinclair/typebox';
import type { AlertEvent } from './alerts/alert-event.js';
import type { AlertGroupBy, AlertRule, Condition, RuleInput, Selector, Severity } from './alerts/rule.js';
import type {
  ActiveAlert,
  BacktestRequest,
  BacktestResult,
  DeliveryAttemptView,
  EpisodeView,
  SilenceInput,
  SilenceMatcher,
  SilenceView,
  TargetInput,
  TargetKind,
  TargetTestResult,
  TargetView,
} from './alerts/api-schemas.js';
import type { CodeName, CodeNameInput, CodeNames, RegisterCodes, RegisterResult } from './codes/api-schemas.js';
import type { ErrorBodySchema } from './http/http-error.js';
import type { Initiator, TimeWindow } from './storage/types.js';
import type {
  Breakdown,
  CloseEventView,
  EventsPage,
  GroupBy,
  Lifetimes,
  LiveHello,
  LiveTick,
  Reasons,
  Reconnects,
  Summary,
  Timeseries,
} from './query/schemas.js';
import type { Status } from './status/status-schema.js';

export type {
  ActiveAlert,
  AlertEvent,
  AlertGroupBy,
  AlertRule,
  BacktestRequest,
  BacktestResult,
  Breakdown,
  CloseEventView,
  CodeName,
  CodeNameInput,
  CodeNames,
  Condition,
  EpisodeView,
  EventsPage,
  GroupBy,
  Initiator,
  Lifetimes,
  LiveHello,
  LiveTick,
  Reasons,
  Reconnects,
  RegisterCodes,
  RegisterResult,
  RuleInput,
  Selector,
  Severity,
  SilenceInput,
  SilenceMatcher,
  SilenceView,
  Status,
  Summary,
  TargetInput,
  TargetKind,
  TargetTestResult,
  TargetView,
  Timeseries,
  TimeWindow,
};

export type ApiErrorBody = Static<typeof ErrorBodySchema>;
export type DeliveryAttempt = DeliveryAttemptView;

/** Every message of the live WebSocket; `codes` says the code names changed (refetch GET /api/v1/codes). */
export type LiveMessage = LiveHello | LiveTick | AlertEvent | { type: 'codes'; change: 'updated' };

/** `GET /api/v1/session`. */
export interface SessionState {
  signedIn: boolean;
  auth: 'password' | 'none';
  expiresAt: number | null;
}
