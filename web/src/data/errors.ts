import { isKeelError } from './keel-sdk.js';

/** What a failed call means for the person looking at the page, and what they can do about it. */
export interface ErrorDescription {
  title: string;
  /** The server's own message (it names the field or the entity), or what failed. */
  detail: string;
  /** What to try next. */
  action?: string;
  /** Whether trying the same again may succeed (a lost connection, a busy server). */
  retryable: boolean;
}

/** Turns any thrown value into an `ErrorDescription`; never throws. */
export function describeError(error: unknown): ErrorDescription {
  if (!isKeelError(error)) {
    const detail = error instanceof Error ? error.message : String(error);
    return { title: 'Something went wrong in the page', detail, action: 'Reload the page.', retryable: true };
  }
  const detail = error.message;
  switch (error.code) {
    case 'TEMPORARILY_UNAVAILABLE':
      return {
        title: 'The Keel server cannot be reached',
        detail,
        action: 'Check that `keel server` is running and your network is up; this page retries by itself.',
        retryable: true,
      };
    case 'UNAUTHENTICATED':
      return { title: 'You are signed out', detail, action: 'Sign in again.', retryable: false };
    case 'PERMISSION_DENIED':
      return {
        title: 'You may not do this',
        detail,
        action: 'Ask an administrator of this workspace for a role that allows it.',
        retryable: false,
      };
    case 'RESOURCE_DOES_NOT_EXIST':
      return {
        title: 'Not found',
        detail,
        action:
          'It may have been deleted for good, or it belongs to another workspace (switch it in the user menu).',
        retryable: false,
      };
    case 'REQUEST_LIMIT_EXCEEDED':
      return { title: 'Too many requests', detail, action: 'Wait a moment and try again.', retryable: true };
    case 'INTERNAL_ERROR':
      return {
        title: 'The server failed',
        detail,
        action: 'Try again; if it keeps failing, give the request id in this message to your administrator.',
        retryable: true,
      };
    default:
      return { title: 'The server refused the request', detail, retryable: false };
  }
}

/** Whether a failure is the network (or the server being down) rather than the request itself. */
export function isConnectionError(error: unknown): boolean {
  return isKeelError(error) && error.code === 'TEMPORARILY_UNAVAILABLE';
}
