import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useLocation } from 'wouter';
import { ErrorPanel } from './error-panel.js';

interface State {
  error: unknown;
}

class Boundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('The page failed to draw', error, info.componentStack);
  }

  override render() {
    if (this.state.error !== undefined) {
      return (
        <ErrorPanel
          error={this.state.error}
          context="This page failed"
          onRetry={() => this.setState({ error: undefined })}
        />
      );
    }
    return this.props.children;
  }
}

/**
 * Catches a page that throws while drawing (and a page chunk that fails to load) and shows a
 * message instead of a blank screen. Navigating elsewhere starts afresh.
 */
export function ErrorBoundary(props: { children: ReactNode }) {
  const [location] = useLocation();
  return <Boundary key={location}>{props.children}</Boundary>;
}
