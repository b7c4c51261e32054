export {
  buildHttpApp,
  defaultBodyLimitBytes,
  type HttpAppOptions,
  type HttpServices,
} from './build-http-app.js';
export { errorAnswer, type ErrorAnswer, type ErrorBody } from './error-handler.js';
