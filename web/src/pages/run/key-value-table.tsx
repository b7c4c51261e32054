/** A two-or-more-column table of keys and values, with a caption and an empty message. */
export function KeyValueTable(props: {
  caption: string;
  rows: string[][];
  headings?: string[];
  empty: string;
}) {
  const headings = props.headings ?? ['Key', 'Value'];
  if (props.rows.length === 0) return <p className="muted">{props.empty}</p>;
  const rows = [...props.rows].sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
  return (
    <table className="kv-table">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          {headings.map((heading) => (
            <th key={heading} scope="col">
              {heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row[0]}>
            <th scope="row">{row[0]}</th>
            {row.slice(1).map((cell, index) => (
              <td key={index}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
