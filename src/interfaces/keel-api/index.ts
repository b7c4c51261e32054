export { keelApiPrefix, keelApiRoutes, type KeelApiOptions } from './keel-api-routes.js';
