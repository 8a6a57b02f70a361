import type { Translate } from '../i18n/i18n.service';
import type { AuditEntryView } from './dto/supervision.dto';

/**
 * An audit entry in words, for supervisors (the trail page and its CSV): who, what, and the
 * details with their names translated. Details carry ids, counts and codes, never personal
 * data; a hash is shown as "recorded", since its hex means nothing to a reader.
 */
export function auditActor(t: Translate, entry: Pick<AuditEntryView, 'actorType' | 'actorRole' | 'actorUsername'>): string {
  if (entry.actorType !== 'staff') return t(`staff:audit.actor_types.${entry.actorType}`, { defaultValue: entry.actorType });
  const role = entry.actorRole ? t(`staff:roles.${entry.actorRole}`, { defaultValue: entry.actorRole }) : '';
  return entry.actorUsername ? `${entry.actorUsername} (${role})` : role;
}

export function auditAction(t: Translate, action: string): string {
  return t(`staff:audit.actions.${action.replace(/\./g, '_')}`, { defaultValue: action });
}

export function auditDetail(t: Translate, detail: Record<string, unknown> | null): string {
  return Object.entries(detail ?? {})
    .map(([key, value]) => `${t(`staff:audit.detail_keys.${key}`, { defaultValue: key })}: ${detailValue(t, key, value)}`)
    .join(t('staff:audit.detail_separator'));
}

function detailValue(t: Translate, key: string, value: unknown): string {
  if (/hash$/i.test(key)) return t('staff:audit.recorded');
  if (Array.isArray(value)) return t('staff:audit.count', { count: value.length });
  if (typeof value === 'boolean') return t(value ? 'staff:audit.yes' : 'staff:audit.no');
  if (typeof value === 'string') return /^[a-z_-]+$/.test(value) ? t(`staff:audit.detail_values.${value}`, { defaultValue: value }) : value;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
