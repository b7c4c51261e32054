import { lazy, type ComponentType } from 'react';
import { paths } from './paths.js';

/** One page of the UI: where it lives, what draws it, and whether the top navigation links to it. */
export interface PageRoute {
  /** A wouter pattern (`/runs/:runId`). */
  path: string;
  component: ComponentType;
  /** Shown in the top navigation, linking to `href`. */
  nav?: { label: string; href: string };
}

// Pages load on demand: each is its own hashed chunk, so a page that draws charts does not slow
// down the others.
const ExperimentsPage = lazy(() =>
  import('../pages/experiments/experiments-page.js').then((m) => ({ default: m.ExperimentsPage })),
);
const RunsPage = lazy(() => import('../pages/runs/runs-page.js').then((m) => ({ default: m.RunsPage })));
const RunPage = lazy(() => import('../pages/run/run-page.js').then((m) => ({ default: m.RunPage })));
const ComparePage = lazy(() =>
  import('../compare/compare-page.js').then((m) => ({ default: m.ComparePage })),
);

/**
 * The route table. A new capability adds its pages here (and its addresses to `paths`); the layout
 * builds the navigation from the entries with `nav`. Order matters: the first match wins.
 */
export const routes: PageRoute[] = [
  {
    path: '/experiments',
    component: ExperimentsPage,
    nav: { label: 'Experiments', href: paths.experiments() },
  },
  { path: '/experiments/:ids/runs', component: RunsPage },
  { path: '/runs/:runId', component: RunPage },
  { path: '/compare', component: ComparePage },
];
