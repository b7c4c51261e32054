import type { AuditEvent } from '../core/audit/index.js';
import type { Page } from '../core/tracking/index.js';
import type { HttpTransport } from './http-transport.js';
import { decodeAuditEvent, type WireAuditEvent } from './identity-wire.js';
import { iteratePages } from './page-iterator.js';
import { keelPath } from './principal.js';

export interface AuditSearch {
  /** The actor's username (`anonymous` without auth, `system` for maintenance). */
  actor?: string;
  objectType?: string;
  objectId?: string;
  /** An action (`run.delete`) or a prefix ending in `.` (`run.`). */
  action?: string;
  workspace?: string;
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
  /** Page size, 1 to 1,000 (100 by default). */
  maxResults?: number;
  pageToken?: string;
}

/** The audit trail, newest first: `client.audit`. */
export class AuditApi {
  constructor(private readonly http: HttpTransport) {}

  async query(search: AuditSearch = {}): Promise<Page<AuditEvent>> {
    const response = await this.http.getJson<{ events?: WireAuditEvent[]; next_page_token?: string }>(
      keelPath('audit'),
      {
        actor: search.actor,
        object_type: search.objectType,
        object_id: search.objectId,
        action: search.action,
        workspace: search.workspace,
        since: search.since,
        until: search.until,
        max_results: search.maxResults,
        page_token: search.pageToken,
      },
    );
    const page: Page<AuditEvent> = { items: (response.events ?? []).map(decodeAuditEvent) };
    if (response.next_page_token) page.nextPageToken = response.next_page_token;
    return page;
  }

  /** Every matching event, page after page. */
  iterate(search: Omit<AuditSearch, 'pageToken'> = {}): AsyncGenerator<AuditEvent> {
    return iteratePages((pageToken) => this.query({ ...search, pageToken }));
  }
}
