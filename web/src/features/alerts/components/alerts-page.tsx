import type { AlertRule } from '@closewatch/server/api-types';
import { useState } from 'react';

import { Panel } from '@/components/ui/panel';
import { QueryView } from '@/components/ui/query-view';
import { describeRange, type TimeRange } from '@/features/filters/lib/view-state';

import { useAlertRules } from '../api/get-alert-rules';
import { useAlerts } from '../api/get-alerts';
import { useSilences } from '../api/get-silences';
import { useTargets } from '../api/get-targets';
import { ActiveAlerts } from './active-alerts';
import { AlertHistory } from './alert-history';
import { RuleEditor } from './rule-editor';
import { RulesList } from './rules-list';
import { SilenceForm, SilencesList } from './silences';
import { TargetForm, TargetsList } from './notification-targets';

type Editing = { rule: AlertRule | null } | null;

/**
 * The Alerts page: what fires now, what fired in the chosen range, the rules (with their
 * editor and backtest), silences, and where notifications go with their delivery log.
 * Reading needs a read credential; every change needs the signed-in admin session.
 */
export function AlertsPage({ range }: { range: TimeRange }) {
  const alerts = useAlerts({ range });
  const rules = useAlertRules();
  const silences = useSilences();
  const targets = useTargets();
  const [editing, setEditing] = useState<Editing>(null);
  const [silencing, setSilencing] = useState<{ ruleId: string | null } | null>(null);
  const [addingTarget, setAddingTarget] = useState(false);
  const windowLabel = describeRange(range);
  const now = Date.now();
  const ruleList = rules.data ?? [];

  return (
    <div className="alerts-page">
      <Panel title="Active alerts" caption="pending and firing now; values in the unit of each rule's condition" testId="active-panel" className="panel-wide">
        <QueryView query={alerts} what="the active alerts">
          {(data) => <ActiveAlerts active={data.active} rules={ruleList} now={now} />}
        </QueryView>
      </Panel>

      <Panel title="History" caption={`alert episodes that fired in the ${windowLabel} (change the range above)`} testId="history-panel" className="panel-wide">
        <QueryView query={alerts} what="the alert history">
          {(data) => <AlertHistory episodes={data.history} windowLabel={windowLabel} now={now} />}
        </QueryView>
      </Panel>

      <Panel
        title="Rules"
        caption="evaluated every 15 s by default (ALERT_EVAL_INTERVAL_MS) over one-minute buckets"
        testId="rules-panel"
        className="panel-wide"
        actions={
          <button type="button" className="button button-primary" onClick={() => setEditing({ rule: null })} data-testid="rule-new">
            New rule
          </button>
        }
      >
        {editing !== null && <RuleEditor key={editing.rule?.id ?? 'new'} rule={editing.rule} onDone={() => setEditing(null)} />}
        <QueryView query={rules} what="the alert rules">
          {(data) => (
            <RulesList
              rules={data}
              onCreate={() => setEditing({ rule: null })}
              onEdit={(rule) => setEditing({ rule })}
              onSilence={(rule) => setSilencing({ ruleId: rule.id })}
            />
          )}
        </QueryView>
      </Panel>

      <Panel
        title="Silences"
        caption="notifications muted until a time"
        testId="silences-panel"
        className="panel-wide"
        actions={
          <button type="button" className="button" onClick={() => setSilencing({ ruleId: null })} data-testid="silence-new">
            New silence
          </button>
        }
      >
        {silencing !== null && <SilenceForm key={silencing.ruleId ?? 'any'} rules={ruleList} ruleId={silencing.ruleId} onDone={() => setSilencing(null)} />}
        <QueryView query={silences} what="the silences">
          {(data) => <SilencesList silences={data} rules={ruleList} now={now} />}
        </QueryView>
      </Panel>

      <Panel
        title="Notification targets"
        caption="where firing and resolved alerts are sent (every enabled target, unless a rule names its own)"
        testId="targets-panel"
        className="panel-wide"
        actions={
          <button type="button" className="button" onClick={() => setAddingTarget(true)} data-testid="target-new">
            New target
          </button>
        }
      >
        {addingTarget && <TargetForm onDone={() => setAddingTarget(false)} />}
        <QueryView query={targets} what="the notification targets">
          {(data) => <TargetsList targets={data} />}
        </QueryView>
      </Panel>
    </div>
  );
}
