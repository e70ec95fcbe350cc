import { CATEGORY_LABELS, describeCloseCode, formatCloseCode } from '@closewatch/sdk/close-codes';
import { useEffect, useId, useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent } from 'react';
import { createPortal } from 'react-dom';

import { matchRoute, ROUTES } from '@/config/paths';
import { followInApp, usePathname, useSearch } from '@/lib/location';
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
 * Codes whose advice is about the client's next connection (Restart: come back after a
 * randomized 5-30 s; Again: later or elsewhere): their tooltip links to the reconnects page.
 */
const RECONNECT_ADVICE: ReadonlySet<number> = new Set([1012, 1013]);

/** How long a tooltip with a link stays after the pointer leaves the label: time to reach the link. */
const LINGER_MS = 250;

const TABBABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Focuses what Tab would have reached after `from`, skipping what is inside `skip` (the portalled tooltip). */
function focusAfter(from: HTMLElement, skip: HTMLElement | null): void {
  const order = Array.from(document.querySelectorAll<HTMLElement>(TABBABLE)).filter((el) => !skip?.contains(el));
  const next = order[order.indexOf(from) + 1];
  if (next) next.focus();
  else from.blur();
}

/**
 * A close code as people should read it, `1011 Internal Error (Error)`, with the
 * registry's meaning (or the team's own name and meaning, 3000-4999) and operator hint on hover and on keyboard focus. The tooltip
 * is portalled to the body: tables scroll horizontally on phones and would clip it.
 * The 1012 and 1013 tooltips carry a link to the reconnects page (same range and
 * filters); they stay open while the pointer moves onto them, and Tab from the label
 * reaches the link.
 */
export function CloseCodeLabel({ code, compact = false }: CloseCodeLabelProps) {
  const names = useCustomCodeNames();
  const info = describeCloseCode(code, names);
  const label = formatCloseCode(code, names);
  const tooltipId = useId();
  const [position, setPosition] = useState<Position | null>(null);
  const search = useSearch();
  const pathname = usePathname();
  const labelRef = useRef<HTMLSpanElement>(null);
  const tooltipRef = useRef<HTMLSpanElement>(null);
  const linkRef = useRef<HTMLAnchorElement>(null);
  const lingering = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const reconnectsHref =
    code !== null && RECONNECT_ADVICE.has(code) && matchRoute(pathname) !== 'reconnects' ? `${ROUTES.reconnects}${search}` : null;

  const stopLingering = () => {
    clearTimeout(lingering.current);
    lingering.current = undefined;
  };
  useEffect(() => stopLingering, []);

  const open = (event: MouseEvent<HTMLElement> | FocusEvent<HTMLElement>) => {
    stopLingering();
    const rect = event.currentTarget.getBoundingClientRect();
    // Keep the tooltip on screen on a 390 px phone.
    const left = Math.max(8, Math.min(rect.left, window.innerWidth - 328));
    setPosition({ top: rect.bottom + 6, left });
  };
  const close = () => {
    stopLingering();
    setPosition(null);
  };
  const leave = () => {
    if (reconnectsHref === null) return close();
    stopLingering();
    lingering.current = setTimeout(close, LINGER_MS);
  };
  // Focus moving between the label and its tooltip's link keeps the tooltip.
  const blur = (event: FocusEvent<HTMLElement>) => {
    const to = event.relatedTarget as Node | null;
    if (to !== null && (labelRef.current?.contains(to) || tooltipRef.current?.contains(to))) return;
    close();
  };
  const labelKey = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Escape') close();
    else if (event.key === 'Tab' && !event.shiftKey && position && linkRef.current) {
      event.preventDefault();
      linkRef.current.focus();
    }
  };
  const linkKey = (event: KeyboardEvent<HTMLAnchorElement>) => {
    if (event.key !== 'Escape' && event.key !== 'Tab') return;
    // The tooltip lives at the end of the body: Tab from its link goes on after the label, not off the page.
    // React bubbles the key through the portal to the label, whose Tab would come straight back here.
    event.preventDefault();
    event.stopPropagation();
    const from = labelRef.current;
    if (!from) return;
    if (event.key === 'Tab' && !event.shiftKey) focusAfter(from, tooltipRef.current);
    else from.focus();
    if (event.key === 'Escape') close();
  };

  return (
    <span
      ref={labelRef}
      className="code-label"
      data-category={info.category}
      tabIndex={0}
      aria-describedby={position ? tooltipId : undefined}
      onMouseEnter={open}
      onMouseLeave={leave}
      onFocus={open}
      onBlur={blur}
      onKeyDown={labelKey}
      aria-label={compact ? label : undefined}
    >
      <span className="code-dot" aria-hidden="true" />
      {compact ? (code === null ? 'none' : String(code)) : label}
      {position &&
        createPortal(
          <span
            ref={tooltipRef}
            role="tooltip"
            id={tooltipId}
            className={`code-tooltip${reconnectsHref ? ' is-interactive' : ''}`}
            style={{ top: position.top, left: position.left }}
            onMouseEnter={stopLingering}
            onMouseLeave={leave}
          >
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
            {reconnectsHref && (
              <a
                ref={linkRef}
                className="code-tooltip-link"
                href={reconnectsHref}
                onClick={followInApp(reconnectsHref, close)}
                onBlur={blur}
                onKeyDown={linkKey}
                data-testid="code-tooltip-reconnects"
              >
                See how clients reconnect
              </a>
            )}
          </span>,
          document.body,
        )}
    </span>
  );
}
