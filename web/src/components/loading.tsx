/** A polite "loading" line that screen readers announce once. */
export function Loading(props: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {props.what}…
    </p>
  );
}
