import { Link } from 'wouter';
import { usePageTitle } from '../components/page-title.js';
import { paths } from '../app/paths.js';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>There is no page at this address. It may have been mistyped, or it belongs to a newer Keel.</p>
      <p>
        <Link href={paths.experiments()}>Go to the experiments</Link>
      </p>
    </section>
  );
}
