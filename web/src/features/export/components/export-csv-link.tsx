import type { MouseEvent } from 'react';

import { exportCsvUrl, type ExportView } from '../lib/export-url';

interface ExportCsvLinkProps extends ExportView {
  /** What is exported, for screen readers and the tooltip: `the closures over time`. */
  what: string;
  testId?: string;
}

/**
 * "Export CSV": a plain link the browser downloads (the session cookie goes along, as
 * with every GET of this dashboard). Its address is computed again on click, so a live,
 * sliding window exports up to the moment of the click, not to when the page rendered.
 */
export function ExportCsvLink({ what, testId, ...view }: ExportCsvLinkProps) {
  const refresh = (event: MouseEvent<HTMLAnchorElement>) => {
    event.currentTarget.href = exportCsvUrl(view, Date.now());
  };
  return (
    <a
      className="button button-small"
      href={exportCsvUrl(view, Date.now())}
      download
      onClick={refresh}
      onAuxClick={refresh}
      title={`Download ${what} as CSV (the current range and filters)`}
      aria-label={`Export ${what} as CSV`}
      data-testid={testId}
      data-kind={view.kind}
    >
      Export CSV
    </a>
  );
}
