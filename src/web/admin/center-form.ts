import { field } from '../staff/form-errors';
import { AdminCenterView } from '../../admin/dto/admin.views';
import { numberField } from './admin-form';

/** The settings form as the API's center body (CreateCenterDto / UpdateCenterDto). */
export function centerBody(form: Record<string, unknown>): Record<string, unknown> {
  return {
    code: field(form, 'code', 64),
    name: { zh: field(form, 'name_zh', 400), en: field(form, 'name_en', 400) },
    address: { zh: field(form, 'address_zh', 400), en: field(form, 'address_en', 400) },
    timezone: field(form, 'timezone', 64) || undefined,
    slotMinutes: numberField(form, 'slotMinutes'),
    bookingWindowDays: numberField(form, 'bookingWindowDays'),
    releaseTime: field(form, 'releaseTime', 8) || undefined,
  };
}

/** A center's settings as the form shows them. */
export function centerValues(center: AdminCenterView): Record<string, string> {
  return {
    code: center.code,
    name_zh: center.name.zh,
    name_en: center.name.en,
    address_zh: center.address.zh,
    address_en: center.address.en,
    timezone: center.timezone,
    slotMinutes: String(center.slotMinutes),
    bookingWindowDays: String(center.bookingWindowDays),
    releaseTime: center.releaseTime,
  };
}

/** A new center's defaults, those of the API. */
export const NEW_CENTER_VALUES: Record<string, string> = { timezone: 'Asia/Shanghai', slotMinutes: '15', bookingWindowDays: '14', releaseTime: '00:00' };
