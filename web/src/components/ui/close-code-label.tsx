import { CATEGORY_LABELS, describeCloseCode, formatCloseCode } from '@closewatch/sdk/close-codes';
import { useId, useState, type FocusEvent, type MouseEvent } from 'react';
import { createPortal } from 'react-dom';

import { useCustomCodeNames } from '@/lib/code-names';

interface CloseCodeLabelProps {
  code: number | null;
  /** Show only the code number (tight table cells); the tooltip still names it. */
  compact?: boolean;
}

interface Position {
  top: number;
  left: number;
}

/**
 * A close code as people should read it, `1011 Internal Error (Error)`, with the
 * registry's meaning (or the team's own name and meaning, 3000-4999) and operator hint on hover and on keyboard focus. The tooltip
 * is portalled to the body: tables scroll horizontally on phones and would clip it.
 */
export function CloseCodeLabel({ code, compact = false }: CloseCodeLabelProps) {
  const names = useCustomCodeNames();
  const info = describeCloseCode(code, names);
  const label = formatCloseCode(code, names);
  const tooltipId = useId();
  const [position, setPosition] = useState<Position | null>(null);

  const open = (event: MouseEvent<HTMLElement> | FocusEvent<HTMLElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    // Keep the tooltip on screen on a 390 px phone.
    const left = Math.max(8, Math.min(rect.left, window.innerWidth - 328));
    setPosition({ top: rect.bottom + 6, left });
  };
  const close = () => setPosition(null);

  return (
    <span
      className="code-label"
      data-category={info.category}
      tabIndex={0}
      aria-describedby={position ? tooltipId : undefined}
      onMouseEnter={open}
      onMouseLeave={close}
      onFocus={open}
      onBlur={close}
      aria-label={compact ? label : undefined}
    >
      <span className="code-dot" aria-hidden="true" />
      {compact ? (code === null ? 'none' : String(code)) : label}
      {position &&
        createPortal(
          <span role="tooltip" id={tooltipId} className="code-tooltip" style={{ top: position.top, left: position.left }}>
            <strong>{label}</strong>
            <span className="code-tooltip-category">{CATEGORY_LABELS[info.category]}</span>
            <span>{info.meaning}</span>
            {info.custom && (
              <span data-testid="code-tooltip-custom">
                Your team&apos;s code: clients {info.retry ? 'should' : 'should not'} reconnect{info.alertWorthy ? '; alert-worthy' : ''}.
              </span>
            )}
            <span>
              <em>What to check:</em> {info.hint}
            </span>
          </span>,
          document.body,
        )}
    </span>
  );
}
