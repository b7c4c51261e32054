import { describeError } from '../data/errors.js';

/**
 * A failed call, said so that a person can act on it: what happened, the server's message (which
 * names the field or the entity), what to try, and a retry button when trying again may help.
 */
export function ErrorPanel(props: { error: unknown; onRetry?: () => void; context?: string }) {
  const description = describeError(props.error);
  return (
    <div className="error-panel" role="alert">
      <h2 className="error-title">
        {props.context ? `${props.context}: ` : ''}
        {description.title}
      </h2>
      <p className="error-detail">{description.detail}</p>
      {description.action && <p className="error-action">{description.action}</p>}
      {props.onRetry && description.retryable && (
        <button type="button" onClick={props.onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
