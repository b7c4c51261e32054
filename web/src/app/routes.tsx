import { createElement, type ComponentType } from 'react';
import { matchRoute, type Parser } from 'wouter';
import { paths } from './paths.js';

/** One page of the UI: where it lives, what draws it, and whether the top navigation links to it. */
export interface PageRoute {
  /** A wouter pattern (`/runs/:runId`). */
  path: string;
  component: ComponentType;
  /** Starts loading the page's code (no-op once loaded). */
  preload?: () => Promise<unknown>;
  /** Shown in the top navigation, linking to `href`. */
  nav?: { label: string; href: string };
}

/**
 * A page whose code loads on demand, as its own hashed chunk, so a page that draws charts does not
 * slow down the others. Unlike `React.lazy`, a page whose chunk has already arrived renders at once:
 * the chunk of the page a browser opens on is fetched while the session is asked for, so the first
 * render needs no Suspense fallback (React holds a revealed fallback for at least 300 ms).
 */
function lazyPage(load: () => Promise<ComponentType>): Pick<PageRoute, 'component' | 'preload'> {
  let loaded: ComponentType | undefined;
  let loading: Promise<void> | undefined;
  let failure: { error: unknown } | undefined;
  const preload = () =>
    (loading ??= load().then(
      (component) => {
        loaded = component;
      },
      (error: unknown) => {
        failure = { error };
      },
    ));
  function LazyPage(props: object) {
    if (loaded !== undefined) return createElement(loaded, props);
    if (failure !== undefined) {
      // To the error boundary; its retry (or the next visit) loads the chunk again.
      const { error } = failure;
      failure = undefined;
      loading = undefined;
      throw error;
    }
    // Suspends until the chunk is here (or has failed).
    throw preload();
  }
  return { component: LazyPage, preload };
}

const experimentsPage = lazyPage(() =>
  import('../pages/experiments/experiments-page.js').then((m) => m.ExperimentsPage),
);
const runsPage = lazyPage(() => import('../pages/runs/runs-page.js').then((m) => m.RunsPage));
const runPage = lazyPage(() => import('../pages/run/run-page.js').then((m) => m.RunPage));
const comparePage = lazyPage(() => import('../compare/compare-page.js').then((m) => m.ComparePage));

/**
 * The route table. A new capability adds its pages here (and its addresses to `paths`); the layout
 * builds the navigation from the entries with `nav`. Order matters: the first match wins.
 */
export const routes: PageRoute[] = [
  {
    path: '/experiments',
    ...experimentsPage,
    nav: { label: 'Experiments', href: paths.experiments() },
  },
  { path: '/experiments/:ids/runs', ...runsPage },
  { path: '/runs/:runId', ...runPage },
  { path: '/compare', ...comparePage },
];

/** Starts loading the code of the page at `path` (the first route that matches), if it has any. */
export function preloadPageAt(path: string, parser: Parser): void {
  const route = routes.find((candidate) => matchRoute(parser, candidate.path, path)[0]);
  // A failure is kept and reported when the page draws.
  void route?.preload?.();
}
