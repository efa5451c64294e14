const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/**
 * Inline SVG bar chart of tasks settled per minute (oldest left, the current minute right), with
 * the peak written on the axis and a tooltip per bar.
 */
export function throughputChart(points: Array<{ minute: number; count: number }>, width = 320, height = 72): SVGSVGElement {
  const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img' });
  const max = Math.max(1, ...points.map((p) => p.count));
  const axis = 26;
  const plotW = width - axis;
  const plotH = height - 14;
  const barW = plotW / Math.max(points.length, 1);
  root.append(svg('line', { x1: axis, y1: plotH, x2: width, y2: plotH, class: 'axis' }));
  const label = svg('text', { x: axis - 4, y: 10, class: 'axis-label', 'text-anchor': 'end' });
  label.textContent = String(max);
  root.append(label);
  const zero = svg('text', { x: axis - 4, y: plotH, class: 'axis-label', 'text-anchor': 'end' });
  zero.textContent = '0';
  root.append(zero);
  points.forEach((p, i) => {
    const h = Math.round((p.count / max) * (plotH - 4));
    const bar = svg('rect', { x: axis + i * barW + 1, y: plotH - h, width: Math.max(barW - 2, 1), height: h, class: i === points.length - 1 ? 'bar current' : 'bar' });
    const title = svg('title', {});
    title.textContent = `${new Date(p.minute).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: ${p.count} tasks`;
    bar.append(title);
    root.append(bar);
  });
  const caption = svg('text', { x: width, y: height - 2, class: 'axis-label', 'text-anchor': 'end' });
  caption.textContent = `${points.length} min · per minute`;
  root.append(caption);
  return root;
}
