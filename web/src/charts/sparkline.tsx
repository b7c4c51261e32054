import { useEffect, useRef, useState } from 'react';
import { sparkPath } from './series.js';
import { useSparkline } from './use-metric-history.js';

const width = 120;
const height = 24;
/** How long a row stays on screen before its history is read: rows flung past while scrolling are not. */
const dwellMs = 150;

/**
 * A metric's history as a small inline line (about 100 points sampled by the server), read only once
 * the row has been on screen for a moment, so a run with thousands of metrics asks for the few that
 * are seen.
 */
export function Sparkline(props: { runId: string; metricKey: string }) {
  const holder = useRef<HTMLSpanElement>(null);
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    const element = holder.current;
    if (element === null || seen) return;
    if (typeof IntersectionObserver === 'undefined') return setSeen(true);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new IntersectionObserver((entries) => {
      clearTimeout(timer);
      if (entries[entries.length - 1]?.isIntersecting) timer = setTimeout(() => setSeen(true), dwellMs);
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      clearTimeout(timer);
    };
  }, [seen]);
  const history = useSparkline(props.runId, props.metricKey, seen);
  const values = (history.data ?? []).map((point) => point.value);
  const path = sparkPath(values, width, height);
  return (
    <span ref={holder} className="sparkline">
      {path === '' ? (
        <span className="muted">{history.isPending && seen ? '…' : '—'}</span>
      ) : (
        <svg
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-label={`History of ${props.metricKey}, ${values.length} points`}
        >
          <path d={path} fill="none" stroke="currentColor" strokeWidth={1.25} />
        </svg>
      )}
    </span>
  );
}
