import { getJson, sendJson } from '../api.js';
import { actionForm, textOf } from '../action-form.js';
import { field, h, select, table } from '../dom.js';
import { formatTime, zoneLabel } from '../time.js';
import { apiKeysSection } from './api-keys.js';
import { blocklistSection } from './blocklist.js';
import { forgetProducts, productName, products } from '../products.js';
import type { License, Product } from '../types.js';

function productSelect(list: readonly Product[], name = 'product_id', anyLabel?: string): HTMLSelectElement {
  const options: [string, string][] = list.map((p) => [String(p.id), `${p.name} (#${p.id})`]);
  return select(name, anyLabel === undefined ? options : [['', anyLabel], ...options], '');
}

function input(name: string, attrs: Record<string, string | boolean> = {}): HTMLInputElement {
  return h('input', { name, ...attrs });
}

function productTable(list: readonly Product[]): HTMLElement {
  const rows = list.map((p) => [String(p.id), p.name, p.status, p.versions.join(', '), formatTime(p.created_at)]);
  return table('Registered products', ['Id', 'Name', 'Status', 'Versions', `Created (${zoneLabel()})`], rows);
}

function productsSection(list: readonly Product[]): HTMLElement {
  const holder = h('div', {}, productTable(list));
  const refresh = async (): Promise<void> => {
    forgetProducts();
    holder.replaceChildren(productTable(await products()));
  };
  return h('section', { 'aria-labelledby': 'products-title' }, h('h2', { id: 'products-title' }, 'Products and versions'),
    holder,
    h('div', { class: 'forms' },
      actionForm('Create a product', [field('Name', input('name', { required: true })), field('Versions (comma-separated)', input('versions', { placeholder: '1.0.0, 1.1.0' }))], 'Create product', async (data) => {
        const product = await sendJson<Product>('POST', '/admin/api/products', { name: textOf(data, 'name'), versions: textOf(data, 'versions') });
        await refresh();
        return `Created product #${product.id} ${product.name}.`;
      }),
      actionForm('Add a version', [field('Product', productSelect(list)), field('Version', input('version', { required: true }))], 'Add version', async (data) => {
        const product = await sendJson<Product>('POST', `/admin/api/products/${encodeURIComponent(textOf(data, 'product_id'))}/versions`, { version: textOf(data, 'version') });
        await refresh();
        return `${product.name} now has versions ${product.versions.join(', ')}.`;
      }),
    ));
}

function licenseTable(list: readonly Product[], licenses: readonly License[]): HTMLElement {
  return table('Licenses with this key', ['Id', 'Product', 'Key', 'Status', 'Seats', 'Expires', `Created (${zoneLabel()})`],
    licenses.map((l) => [
      String(l.id), productName(list, l.product_id), l.key, l.status, l.max_activations === null ? 'default' : String(l.max_activations),
      l.expires_at === null ? 'never' : formatTime(l.expires_at), formatTime(l.created_at),
    ]));
}

function licensesSection(list: readonly Product[]): HTMLElement {
  const file = input('file', { type: 'file', accept: '.csv,.ndjson,.jsonl,.txt,text/csv', required: true });
  return h('section', { 'aria-labelledby': 'licenses-title' }, h('h2', { id: 'licenses-title' }, 'Licenses and activations'),
    h('div', { class: 'forms' },
      actionForm('Find a license', [field('License key', input('key', { required: true }))], 'Find', async (data) => {
        const { licenses } = await getJson<{ licenses: License[] }>('/admin/api/licenses', { key: textOf(data, 'key') });
        return licenses.length === 0 ? 'No license with this key.' : licenseTable(list, licenses);
      }, 'viewer'),
      actionForm('Create a license', [
        field('Product', productSelect(list)), field('License key', input('key', { required: true })),
        field('Status', select('status', [['active', 'active'], ['blocked', 'blocked']], 'active')),
        field('Expires (optional)', input('expires_at', { type: 'date' })),
        field('Seats (optional: machines it may run on)', input('max_activations', { type: 'number', min: '1', step: '1', placeholder: 'server default' })),
      ], 'Create license', async (data) => {
        const license = await sendJson<License>('POST', '/admin/api/licenses', {
          product_id: textOf(data, 'product_id'), key: textOf(data, 'key'), status: textOf(data, 'status'), expires_at: textOf(data, 'expires_at'),
          max_activations: textOf(data, 'max_activations'),
        });
        return `Created license #${license.id} (${license.key}${license.max_activations === null ? '' : `, ${license.max_activations} seats`}).`;
      }),
      actionForm('Import licenses', [
        field('CSV (product_id,key,status,expires_at,max_activations) or NDJSON file', file),
      ], 'Import', async () => {
        const chosen = file.files?.[0];
        if (chosen === undefined) return 'Choose a file first.';
        const { imported } = await sendJson<{ imported: number }>('POST', '/admin/api/licenses/import', { text: await chosen.text() });
        return `Imported ${imported} license${imported === 1 ? '' : 's'}.`;
      }),
      actionForm('Record an activation', [
        field('License key', input('license_key', { required: true })), field('Activation identifier', input('identifier', { required: true })),
        field('Product (when the key is used by several)', productSelect(list, 'product_id', 'Any')),
      ], 'Record activation', async (data) => {
        await sendJson('POST', '/admin/api/activations', { license_key: textOf(data, 'license_key'), identifier: textOf(data, 'identifier'), product_id: textOf(data, 'product_id') });
        return `Recorded activation ${textOf(data, 'identifier')} of ${textOf(data, 'license_key')}.`;
      }),
    ));
}

/** Products and versions, licenses (with CSV import), activations, API keys, blocklist (item 6). */
export async function registryPage(main: HTMLElement): Promise<void> {
  const list = await products();
  main.append(h('h1', {}, 'Registry'), productsSection(list), licensesSection(list), await apiKeysSection(list), await blocklistSection(list));
}
