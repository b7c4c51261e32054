import { VirtualKeyTable } from '../../components/virtual-key-table.js';

const firstCell = (row: readonly string[]) => row[0] ?? '';

/**
 * A two-or-more-column table of keys and values, sorted by key, with a caption and an empty message;
 * virtualised, with a search box once it is long (a run can log thousands of params).
 */
export function KeyValueTable(props: {
  caption: string;
  rows: string[][];
  headings?: string[];
  empty: string;
}) {
  const [keyHeading = 'Key', ...valueHeadings] = props.headings ?? ['Key', 'Value'];
  const columns = valueHeadings.map((heading, index) => ({
    heading,
    width: 'minmax(8rem, 3fr)',
    cell: (row: readonly string[]) => row[index + 1],
  }));
  return (
    <VirtualKeyTable
      caption={props.caption}
      rows={props.rows}
      keyOf={firstCell}
      keyHeading={keyHeading}
      columns={columns}
      empty={props.empty}
      searchLabel={`Search ${props.caption.toLowerCase()}`}
    />
  );
}
