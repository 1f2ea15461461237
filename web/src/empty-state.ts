import { h } from './dom.js';
import type { Product } from './types.js';

/**
 * The curl of README "Send your first report", for this server and a product: its id and first
 * version filled in (product 1 and 1.0.0 when none is registered yet).
 */
export function firstReportCurl(origin: string, product: Product | undefined): string {
  const id = product?.id ?? 1;
  const version = product?.versions[0] ?? '1.0.0';
  return [
    `curl -s ${origin}/api/v1/send-telemetry-data \\`,
    `  -d api_key=$KEY -d product_id=${id} -d user_identifier=user-1 -d license_key=LIC-0001 \\`,
    `  -d activation_identifier=machine-42 -d product_version=${version} \\`,
    '  -d data_type=numeric-single-value -d numeric_data_single_value=50 -d data_group=startup_ms',
  ].join('\n');
}

/**
 * What a page shows instead of its data when there is none: the reason, then how to send a
 * first report (a product, a license, an activation, an API key, then the curl above). Tests
 * find it by `data-empty`.
 */
export function emptyState(message: string, list: readonly Product[], productId?: string | null): HTMLElement {
  const product = list.find((p) => String(p.id) === productId) ?? list[0];
  const steps = product === undefined
    ? 'No product is registered yet: create one on the Registry page (or npx tally product create --name "My App" --versions 1.0.0), '
    : `Reports of ${product.name} (#${product.id}) need `;
  return h('div', { class: 'empty', 'data-empty': '' },
    h('p', { class: 'empty-title' }, message),
    h('details', { open: true },
      h('summary', {}, 'How to send a first report'),
      h('p', {}, `${steps}a license and an activation (Registry page, or npx tally license create / activation create) and an API key `,
        'with the send_telemetry capability (Registry page, or npx tally api-key create --name my-app). Put the key in KEY, then:'),
      h('pre', { class: 'curl' }, h('code', {}, firstReportCurl(location.origin, product))),
      h('p', {}, 'Reports with a made-up license or activation are stored too, flagged. The answer is the signed envelope with code 830 (README, "Send your first report").')));
}
