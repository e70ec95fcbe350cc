import { Component, type ErrorInfo, type ReactNode } from 'react';

interface ErrorBoundaryProps {
  children: ReactNode;
}

interface ErrorBoundaryState {
  error: Error | null;
}

/** Last line of defence: a rendering bug shows what broke and a way out, not a blank page. */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { error: null };

  static getDerivedStateFromError(error: Error): ErrorBoundaryState {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('closewatch dashboard crashed', error, info.componentStack);
  }

  override render() {
    if (this.state.error) {
      return (
        <div className="crash" role="alert">
          <h1>The dashboard hit a bug</h1>
          <p>
            <code>{this.state.error.message}</code>
          </p>
          <p>
            Reload the page; if it happens again, clear the filters (open <a href="/">the overview without filters</a>)
            and report the URL that broke it.
          </p>
        </div>
      );
    }
    return this.props.children;
  }
}
