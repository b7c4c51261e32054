import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import type { ConnectionStatus } from '../data/connection-status.js';
import { ConnectionBanner } from './connection-banner.js';
import { routes } from './routes.js';
import { UserMenu } from './user-menu.js';

/** The frame around every page: skip link, top bar (navigation, user menu), connection banner. */
export function Layout(props: { connection: ConnectionStatus; children: ReactNode }) {
  const [location] = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <Link href="/" className="brand" aria-label="Keel home">
          Keel
        </Link>
        <nav aria-label="Main">
          <ul>
            {routes
              .filter((route) => route.nav !== undefined)
              .map((route) => {
                const nav = route.nav!;
                const current = location === nav.href || location.startsWith(`${nav.href}/`);
                return (
                  <li key={nav.href}>
                    <Link href={nav.href} aria-current={current ? 'page' : undefined}>
                      {nav.label}
                    </Link>
                  </li>
                );
              })}
          </ul>
        </nav>
        <UserMenu />
      </header>
      <ConnectionBanner connection={props.connection} />
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </>
  );
}
