import { useSyncExternalStore } from 'react';

/**
 * Whether the server answered lately: set by the query cache from every call's outcome, read by
 * the banner that tells a person the connection is lost (and when it is back).
 */
export class ConnectionStatus {
  private lost = false;
  private readonly listeners = new Set<() => void>();

  get isLost(): boolean {
    return this.lost;
  }

  /** A call failed because no server answered. */
  markLost(): void {
    this.set(true);
  }

  /** A call got an answer (any answer, an error included, means the server is there). */
  markReachable(): void {
    this.set(false);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(lost: boolean): void {
    if (this.lost === lost) return;
    this.lost = lost;
    for (const listener of this.listeners) listener();
  }
}

export function useConnectionLost(status: ConnectionStatus): boolean {
  return useSyncExternalStore(status.subscribe, () => status.isLost);
}
