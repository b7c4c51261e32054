import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AuditService } from '../../services/audit/index.js';
import type { AuthService, IdentityService } from '../../services/auth/index.js';
import { auditRoutes } from './audit-routes.js';
import { groupRoutes } from './group-routes.js';
import type { KeelApiApp } from './keel-api-app.js';
import { permissionRoutes } from './permission-routes.js';
import { sessionRoutes } from './session-routes.js';
import { tokenRoutes } from './token-routes.js';
import { userRoutes } from './user-routes.js';
import { workspaceRoutes } from './workspace-routes.js';

export const keelApiPrefix = '/api/keel/v1';

export interface KeelApiOptions {
  auth: AuthService;
  identity: IdentityService;
  audit: AuditService;
  /** Whether the session cookie is marked `Secure`. */
  cookieSecure: boolean;
}

/**
 * Keel's own API (mounted under `/api/keel/v1`): sessions, users, service accounts, groups,
 * workspaces and roles, object permissions, API tokens, the audit trail. JSON in and out with
 * snake_case fields; every route validates its input with its TypeBox schema and answers errors as
 * `{error_code, message}`. The checks themselves are the services': this is translation only.
 */
export async function keelApiRoutes(instance: FastifyInstance, options: KeelApiOptions): Promise<void> {
  const app: KeelApiApp = instance.withTypeProvider<TypeBoxTypeProvider>();
  // TypeBox checks bodies exactly as sent (Ajv's coercion would turn `"expires_in_days": 0` into
  // null, "never expires"); query strings and path parameters are converted from text first.
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  sessionRoutes(app, options, { secure: options.cookieSecure });
  userRoutes(app, options.identity);
  groupRoutes(app, options.identity);
  workspaceRoutes(app, options.identity);
  permissionRoutes(app, options.identity);
  tokenRoutes(app, options.identity);
  auditRoutes(app, options.audit);
}
