/** Identity and access: entities, the permission rules, credential forms and the identity port. */
export * from './entities.js';
export * from './access-policy.js';
export * from './credentials.js';
export * from './validation.js';
export type * from './identity-store.js';
