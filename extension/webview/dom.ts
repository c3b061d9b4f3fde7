/** The panel's few DOM helpers: an element with attributes and children, a lookup by id. */

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {},
  ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export function setSrc(id: string, src: string | undefined): void {
  const img = $<HTMLImageElement>(id);
  if (src && img.getAttribute('src') !== src) img.src = src;
}
