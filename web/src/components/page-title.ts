import { useEffect } from 'react';

/** Sets the browser tab's title (and what a screen reader announces on navigation). */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Keel` : 'Keel';
  }, [title]);
}
