import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { clampWidth, columnWidthStep, maxColumnWidth, minColumnWidth } from './column-layout.js';

/**
 * The edge of a column heading that resizes it (WAI-ARIA window splitter: a focusable separator
 * whose value is the width). Drag it, or focus it and press Left/Right; double-click resets the
 * default width. While dragging only `onDraft` is called, so that the URL (and the history) gets
 * one change per drag, from `onCommit`.
 */
export function ColumnResizeHandle(props: {
  label: string;
  width: number;
  /** The width shown while dragging; undefined when the drag ends. */
  onDraft: (width: number | undefined) => void;
  /** A new width; undefined for the default. */
  onCommit: (width: number | undefined) => void;
}) {
  const drag = useRef<{ pointerId: number; startX: number; startWidth: number } | undefined>(undefined);
  const widthAt = (event: PointerEvent<HTMLDivElement>) =>
    clampWidth(drag.current!.startWidth + event.clientX - drag.current!.startX);

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.stopPropagation();
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { pointerId: event.pointerId, startX: event.clientX, startWidth: props.width };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (drag.current?.pointerId === event.pointerId) props.onDraft(widthAt(event));
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    if (drag.current?.pointerId !== event.pointerId) return;
    const width = widthAt(event);
    const changed = width !== drag.current.startWidth;
    drag.current = undefined;
    props.onDraft(undefined);
    if (changed) props.onCommit(width);
  };
  const onPointerCancel = () => {
    drag.current = undefined;
    props.onDraft(undefined);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // The grid around it must not also act on the key (move its active cell, sort, open a run).
    if (event.key !== 'Tab') event.stopPropagation();
    const step =
      event.key === 'ArrowRight' ? columnWidthStep : event.key === 'ArrowLeft' ? -columnWidthStep : 0;
    if (step === 0) return;
    event.preventDefault();
    const width = clampWidth(props.width + step);
    if (width !== props.width) props.onCommit(width);
  };

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={props.label}
      aria-valuenow={props.width}
      aria-valuemin={minColumnWidth}
      aria-valuemax={maxColumnWidth}
      tabIndex={0}
      className="column-resize-handle"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerCancel}
      // Keeps the heading from starting a (reorder) drag and the text from being selected.
      onMouseDown={(event) => event.preventDefault()}
      onClick={(event) => event.stopPropagation()}
      onDoubleClick={(event) => {
        event.stopPropagation();
        props.onCommit(undefined);
      }}
      onKeyDown={onKeyDown}
    />
  );
}
