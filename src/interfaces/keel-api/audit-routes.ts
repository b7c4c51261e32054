import { Type } from '@sinclair/typebox';
import type { AuditObjectType } from '../../core/audit/index.js';
import type { AuditService } from '../../services/audit/index.js';
import type { KeelApiApp } from './keel-api-app.js';
import { AuditEventJson, auditEventJson } from './wire.js';

/**
 * `audit`: the trail, newest first, keyset-paged. Site administrators read every event; a
 * workspace's admins read that workspace's events.
 */
export function auditRoutes(app: KeelApiApp, audit: AuditService): void {
  app.get(
    '/audit',
    {
      schema: {
        querystring: Type.Object({
          actor: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
          object_type: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          object_id: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
          /** An action (`run.delete`) or a prefix ending in `.` (`run.`). */
          action: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          workspace: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
          /** Epoch ms, inclusive. */
          since: Type.Optional(Type.Integer({ minimum: 0 })),
          /** Epoch ms, exclusive. */
          until: Type.Optional(Type.Integer({ minimum: 0 })),
          max_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          page_token: Type.Optional(Type.String({ maxLength: 1024 })),
        }),
        response: {
          200: Type.Object({
            events: Type.Array(AuditEventJson),
            next_page_token: Type.Optional(Type.String()),
          }),
        },
      },
    },
    async (request) => {
      const query = request.query;
      const page = await audit.query(request.caller, {
        actorName: query.actor,
        // The service checks the value; an unknown type is refused there.
        objectType: query.object_type as AuditObjectType | undefined,
        objectId: query.object_id,
        action: query.action,
        workspace: query.workspace,
        since: query.since,
        until: query.until,
        maxResults: query.max_results,
        pageToken: query.page_token,
      });
      return {
        events: page.items.map(auditEventJson),
        ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
      };
    },
  );
}
