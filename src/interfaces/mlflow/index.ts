export { mlflowArtifactRoutes } from './artifact-routes.js';
export { mlflowPrefixes, mlflowRoutes, type MlflowRoutesOptions } from './mlflow-routes.js';
