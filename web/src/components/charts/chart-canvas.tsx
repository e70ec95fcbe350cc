import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

interface ChartCanvasProps {
  height: number;
  /** Draws the chart at the measured width. */
  children: (width: number) => ReactNode;
}

/**
 * Measures its box and draws the chart only once it has a width. Hidden panels
 * and environments without layout (jsdom) then skip the SVG work entirely; the
 * chart's data table is rendered either way.
 */
export function ChartCanvas({ height, children }: ChartCanvasProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);

  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(Math.floor(element.getBoundingClientRect().width));
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      const entry = entries[0];
      if (entry) setWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  return (
    <div ref={ref} className="chart-canvas" style={{ height }} aria-hidden="true">
      {width > 0 && children(width)}
    </div>
  );
}
