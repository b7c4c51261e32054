import { QueryClientProvider } from '@tanstack/react-query';
import { Suspense, useState } from 'react';
import { Redirect, Route, Router, Switch, useRouter } from 'wouter';
import { ErrorBoundary } from '../components/error-boundary.js';
import { Loading } from '../components/loading.js';
import { createUiQueryClient } from '../data/query-client.js';
import { KeelProvider } from '../data/keel-context.js';
import { NotFoundPage } from '../pages/not-found-page.js';
import { Layout } from './layout.js';
import { paths } from './paths.js';
import { preloadPageAt, routes } from './routes.js';
import { SessionGate } from './session-gate.js';

/** The whole UI: data layer, session (login when needed), layout, and the route table. */
export function App() {
  const [{ queryClient, connection }] = useState(createUiQueryClient);
  // The default router (this component renders the Router): its parser is the one routes use.
  const { parser } = useRouter();
  // The page's code loads while the session is asked for, not after.
  useState(() => preloadPageAt(window.location.pathname, parser));
  return (
    <QueryClientProvider client={queryClient}>
      <Router>
        <KeelProvider>
          <SessionGate>
            <Layout connection={connection}>
              <ErrorBoundary>
                <Suspense fallback={<Loading what="the page" />}>
                  <Switch>
                    <Route path="/">
                      <Redirect to={paths.experiments()} replace />
                    </Route>
                    {routes.map((route) => (
                      <Route key={route.path} path={route.path} component={route.component} />
                    ))}
                    <Route component={NotFoundPage} />
                  </Switch>
                </Suspense>
              </ErrorBoundary>
            </Layout>
          </SessionGate>
        </KeelProvider>
      </Router>
    </QueryClientProvider>
  );
}
