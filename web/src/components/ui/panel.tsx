import type { ReactNode } from 'react';

interface PanelProps {
  title: ReactNode;
  /** Unit and window of the numbers inside, e.g. `closures, last 1 h`. */
  caption?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}

export function Panel({ title, caption, actions, children, className, testId }: PanelProps) {
  return (
    <section className={`panel${className ? ` ${className}` : ''}`} data-testid={testId}>
      <header className="panel-header">
        <div>
          <h2 className="panel-title">{title}</h2>
          {caption && <p className="panel-caption">{caption}</p>}
        </div>
        {actions && <div className="panel-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}
