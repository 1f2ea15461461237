import { roleAllows, type Role } from '../../src/model/accounts.js';

/** Who is using the dashboard, as GET /admin/api/session says (docs/accounts.md "Roles"). */
export interface Access {
  role: Role;
  /** The account's name; null for the pre-accounts admin token. */
  name: string | null;
  /** The products the account is limited to; null = every product. */
  products: number[] | null;
}

let current: Access = { role: 'viewer', name: null, products: [] };

export function setAccess(access: Access): void {
  current = access;
}

export function access(): Access {
  return current;
}

/**
 * Whether the user's role allows what needs `role`. The dashboard hides what it does not allow
 * (the server refuses it anyway with 403, whose message a page shows).
 */
export function may(role: Role): boolean {
  return roleAllows(current.role, role);
}
