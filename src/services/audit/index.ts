export {
  AuditService,
  defaultAuditPageSize,
  maxAuditPageSize,
  type AuditServiceOptions,
} from './audit-service.js';
