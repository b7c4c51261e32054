import { useRef, useState, type DragEvent, type HTMLAttributes } from 'react';

export interface ColumnDrag {
  /** The props that make a heading draggable and a place to drop others (none for a fixed column). */
  headerProps(id: string, movable: boolean): HTMLAttributes<HTMLDivElement>;
  /** The heading a dragged one is over, to mark where it would land. */
  over: string | undefined;
}

/**
 * Reordering columns by dragging a heading onto another (HTML5 drag and drop). The dragged id is
 * kept here rather than read from the drop's data: `dragover` cannot read it, and only the grid's
 * own headings may be dropped.
 */
export function useColumnDrag(onMove: (from: string, to: string) => void): ColumnDrag {
  const dragged = useRef<string | undefined>(undefined);
  const [over, setOver] = useState<string | undefined>(undefined);
  const end = () => {
    dragged.current = undefined;
    setOver(undefined);
  };
  const headerProps = (id: string, movable: boolean): HTMLAttributes<HTMLDivElement> => {
    if (!movable) return {};
    const accepts = () => dragged.current !== undefined && dragged.current !== id;
    return {
      draggable: true,
      onDragStart: (event: DragEvent<HTMLDivElement>) => {
        dragged.current = id;
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData('text/plain', id);
      },
      onDragOver: (event: DragEvent<HTMLDivElement>) => {
        if (!accepts()) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        setOver(id);
      },
      onDragLeave: () => setOver((current) => (current === id ? undefined : current)),
      onDrop: (event: DragEvent<HTMLDivElement>) => {
        if (!accepts()) return;
        event.preventDefault();
        const from = dragged.current!;
        end();
        onMove(from, id);
      },
      onDragEnd: end,
    };
  };
  return { headerProps, over };
}
