/** The audit trail: event shapes, the actions recorded, and the read port. */
export * from './entities.js';
