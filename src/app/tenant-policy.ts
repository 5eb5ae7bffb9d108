/** A tenant's vocabularies and SLA targets, read from its settings with the contract's defaults. */
import type { Tenant } from '../domain/records.js';
import { DEFAULT_SLA_TARGETS, type SlaTargets } from '../domain/sla-targets.js';
import { resolveVocabulary, type TenantVocabulary } from '../domain/tenant-vocabulary.js';

export function vocabularyOf(tenant: Tenant): TenantVocabulary {
  return resolveVocabulary(tenant.settings);
}

/**
 * The default SLA targets, for what needs a figure without a ticket (the bot's "we answer within"
 * promise). A ticket's due times come from its policy instead: `loadSlaPolicy` (sla-policies.ts).
 */
export function slaTargetsOf(_tenant: Tenant): SlaTargets {
  return DEFAULT_SLA_TARGETS;
}
