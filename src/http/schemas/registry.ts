import { Type, type StaticDecode } from '@sinclair/typebox';
import { LICENSE_STATUSES } from '../../model/registry.js';
import { notAnIdMessage } from '../../registry/products.js';
import type { AdminRefusals } from '../plugins/admin/errors.js';
import { adminResponses, ErrorBody } from './error-answers.js';
import { Closed, Count, IdParams, IdValue, IsoMillis, Nullable, OneOf, TextValue } from './primitives.js';

/**
 * The registry routes (docs/dashboard.md, "Registry"): products, versions, licenses, the license
 * import and activations, thin over src/registry as the CLI is. Their bodies are read leniently,
 * as they always were (`x-lenient`, src/http/plugins/admin/json-reader.ts): a field of another
 * type counts as absent, so that the registry's own messages (the CLI's) answer.
 */

const lenient = { 'x-lenient': true, description: 'Read leniently: a field of another type counts as absent; the registry checks the values.' };

export const ProductBody = Type.Object({
  name: TextValue(),
  versions: Type.Optional(Type.Transform(Type.Union([Type.Array(Type.String()), Type.String(), Type.Number()], {
    default: [], description: 'the released versions: a list, or one text with commas between them',
  })).Decode((versions) => (Array.isArray(versions) ? versions : String(versions).split(',').filter((version) => version.trim() !== ''))).Encode((versions) => versions)),
}, lenient);

export const VersionBody = Type.Object({ version: TextValue() }, lenient);

export const LicenseBody = Type.Object({
  product_id: Type.Optional(IdValue()),
  key: TextValue(),
  status: Type.Optional(TextValue({ description: 'active (the default) or blocked' })),
  expires_at: Type.Optional(TextValue({ description: 'ISO-8601 date or date-time; empty = never' })),
  max_activations: Type.Optional(TextValue({ description: 'seats: how many machines the license may run on; empty or null = none (--default-seats applies)' })),
}, lenient);

export const ImportBody = Type.Object({
  text: TextValue({ description: 'the file: CSV with a header row, or NDJSON (as `tally license import`)' }),
  update: Type.Optional(Type.Boolean({ default: true, description: 'false: leave existing product + key pairs untouched (as `--no-update`)' })),
}, lenient);

export const ActivationBody = Type.Object({
  license_key: TextValue(),
  identifier: TextValue(),
  product_id: Type.Optional(IdValue({ description: 'needed only when the key is registered for several products' })),
}, lenient);


export type ProductBody = StaticDecode<typeof ProductBody>;
export type VersionBody = StaticDecode<typeof VersionBody>;
export type LicenseBody = StaticDecode<typeof LicenseBody>;
export type ImportBody = StaticDecode<typeof ImportBody>;
export type ActivationBody = StaticDecode<typeof ActivationBody>;

export const Product = Closed({ id: Type.Integer(), name: Type.String(), status: OneOf(['active', 'inactive']), created_at: IsoMillis(), versions: Type.Array(Type.String()) });
export const License = Closed({
  id: Type.Integer(), product_id: Type.Integer(), key: Type.String(), status: OneOf(LICENSE_STATUSES), expires_at: Nullable(IsoMillis()),
  max_activations: Nullable(Type.Integer({ minimum: 1 })), notes: Nullable(Type.String()), created_at: IsoMillis(), updated_at: IsoMillis(),
});
export const Activation = Closed({ id: Type.Integer(), license_id: Type.Integer(), identifier: Type.String(), created_at: IsoMillis(), deactivated_at: Nullable(IsoMillis()) });

const change = { changes: true };
export const productsSchema = { response: adminResponses({ 200: Closed({ products: Type.Array(Product) }) }) };
export const createProductSchema = { body: ProductBody, response: adminResponses({ 201: Product, 400: ErrorBody }, change) };
export const addVersionSchema = { params: IdParams, body: VersionBody, response: adminResponses({ 200: Product, 400: ErrorBody }, change) };
export const createLicenseSchema = { body: LicenseBody, response: adminResponses({ 201: License, 400: ErrorBody }, change) };
export const importSchema = { body: ImportBody, response: adminResponses({ 200: Closed({ imported: Count(), skipped: Count() }), 400: ErrorBody }, change) };
export const activationSchema = { body: ActivationBody, response: adminResponses({ 201: Closed({ activation: Activation, license: License }), 400: ErrorBody }, change) };

/** A product id that is not one is named as the registry names it (`not 0`, `not NaN`). */
export const productIdRefusals: AdminRefusals = { id: ({ read }) => ({ status: 400, error: notAnIdMessage(typeof read === 'number' ? read : Number.NaN, 'product') }) };
