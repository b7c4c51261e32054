/** Authentication, access control and identity administration. */
export { AccessControl, defaultCacheTtlMs, type AccessControlOptions } from './access-control.js';
export {
  AuthService,
  defaultSessionIdleMs,
  defaultSessionMaxMs,
  type AuthenticateInput,
  type AuthServiceOptions,
  type LoginResult,
} from './auth-service.js';
export { grantCreatorManage } from './creator-grant.js';
export {
  IdentityService,
  type IdentityServiceOptions,
  type PrincipalInput,
  type WhoAmI,
} from './identity-service.js';
export { defaultTokenDays, maxTokenDays, type CreateTokenInput } from './token-admin.js';
export type { CreateUserInput } from './user-admin.js';
export { LoadingCache, type LoadingCacheOptions } from './loading-cache.js';
export { objectNotFound } from './not-found.js';
export { PasswordHasher, type PasswordHasherOptions } from './password-hasher.js';
