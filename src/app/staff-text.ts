/**
 * The team's texts for a tenant: its `staff_language` (default English) bound to the `staff`
 * namespace. Notices are written in it when they are enqueued; cards and command answers when
 * they are rendered.
 */
import type { ParleyError } from '../domain/errors.js';
import { staffLanguage } from '../domain/staff-language.js';
import type { Tenant } from '../domain/records.js';
import type { StaffT } from '../ports/staff-translator.js';
import type { Stores } from '../ports/stores.js';
import type { AppDeps } from './context.js';

export function staffTextFor(
  deps: Pick<AppDeps, 'staff'>,
  tenant: Pick<Tenant, 'settings'>,
): StaffT {
  return deps.staff.forLanguage(staffLanguage(tenant.settings));
}

/** The same by tenant id (a read of the tenant; English if it is gone). */
export async function staffTextOf(
  deps: Pick<AppDeps, 'staff'>,
  s: Pick<Stores, 'tenants'>,
  tenantId: string,
): Promise<StaffT> {
  const tenant = await s.tenants.findById(tenantId);
  return staffTextFor(deps, tenant ?? { settings: {} });
}

/** A use case's refusal in the team's language; its English message when it has no staff text. */
export function staffErrorText(t: StaffT, err: ParleyError): string {
  return err.text ? t(`error.${err.text.key}`, err.text.params) : err.message;
}
