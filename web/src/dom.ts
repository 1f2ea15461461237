/** Children h() accepts; null, undefined and false are skipped so that conditions read inline. */
export type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

/**
 * Creates an element. Text always goes in as text nodes (never as HTML), so report values
 * cannot inject markup. `on…` attributes are listeners; `true` sets an empty attribute.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'number' ? String(child) : child);
  }
}

let nextId = 0;
/** A unique id for label/input pairs. */
export function uid(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** A labelled input, select or textarea: the label names the control for screen readers. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement): HTMLElement {
  if (control.id === '') control.id = uid('f');
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
}

export function select(name: string, options: readonly (readonly [string, string])[], value: string): HTMLSelectElement {
  const element = h('select', { name });
  for (const [optionValue, text] of options) element.append(h('option', { value: optionValue, selected: optionValue === value }, text));
  return element;
}

/** A table with a caption and column headers (th scope=col); cells are text or nodes. */
export function table(caption: string, headers: readonly string[], rows: readonly (readonly Child[])[]): HTMLElement {
  const head = h('tr', {}, ...headers.map((text) => h('th', { scope: 'col' }, text)));
  const body = rows.map((cells) => h('tr', {}, ...cells.map((cell) => h('td', {}, cell))));
  return h('div', { class: 'table-wrap' }, h('table', {}, h('caption', {}, caption), h('thead', {}, head), h('tbody', {}, ...body)));
}

/** A status line that screen readers announce when it changes. */
export function statusLine(): HTMLParagraphElement {
  return h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
}

export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

export function formatPercent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)} %`;
}
