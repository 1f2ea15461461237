import { getJson } from './api.js';
import type { Product } from './types.js';

let cached: Promise<Product[]> | null = null;

/** The registered products, read once per page view (forget() after changing them). */
export function products(): Promise<Product[]> {
  cached ??= getJson<{ products: Product[] }>('/admin/api/products').then((answer) => answer.products);
  return cached;
}

export function forgetProducts(): void {
  cached = null;
}

export function productName(list: readonly Product[], id: number | null): string {
  if (id === null) return '(no product)';
  const product = list.find((p) => p.id === id);
  return product === undefined ? `#${id} (not registered)` : product.name;
}
