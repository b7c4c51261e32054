import type { QueryValue } from './http-transport.js';

/** Who a role or a permission is granted to: a user by username, or a group by name. */
export type Principal = { user: string } | { group: string };

/** The principal as the API's `user`/`group` field. */
export function principalFields(principal: Principal): Record<string, QueryValue> {
  return 'user' in principal ? { user: principal.user } : { group: principal.group };
}

/** `/api/keel/v1` plus path segments, each percent-encoded. */
export function keelPath(...segments: string[]): string {
  return `/api/keel/v1/${segments.map(encodeURIComponent).join('/')}`;
}
