import { AdminServiceView } from '../../admin/dto/admin.views';
import { field, FormErrors, message } from '../staff/form-errors';
import { lines, numberField } from './admin-form';

/**
 * The service form as the API's body. Documents to bring are two text areas, one document a
 * line, Chinese and English line by line; `mismatch` says the two have a different number of lines.
 */
export function serviceBody(form: Record<string, unknown>): { body: Record<string, unknown>; errors: FormErrors } {
  const zh = lines(form, 'documents_zh');
  const en = lines(form, 'documents_en');
  const errors: FormErrors = zh.length === en.length ? {} : { documents_en: message('admin:invalid.documents_count', { zh: zh.length, en: en.length }) };
  return {
    body: {
      code: field(form, 'code', 64),
      name: { zh: field(form, 'name_zh', 400), en: field(form, 'name_en', 400) },
      requiredDocuments: zh.map((text, i) => ({ zh: text, en: en[i] ?? '' })),
      leadTimeHours: numberField(form, 'leadTimeHours'),
      active: form.active === 'on',
    },
    errors,
  };
}

/** A refused DTO path as the form's field (`requiredDocuments.2.en` → `documents_en`). */
export const serviceFieldOf = (path: string): string => (path.startsWith('requiredDocuments') ? `documents_${path.endsWith('.en') ? 'en' : 'zh'}` : path.replace(/\./g, '_'));

export function serviceValues(service: AdminServiceView): Record<string, string> {
  return {
    code: service.code,
    name_zh: service.name.zh,
    name_en: service.name.en,
    documents_zh: service.requiredDocuments.map((d) => d.zh).join('\n'),
    documents_en: service.requiredDocuments.map((d) => d.en).join('\n'),
    leadTimeHours: String(service.leadTimeHours),
    active: service.active ? 'on' : '',
  };
}

export const NEW_SERVICE_VALUES: Record<string, string> = { leadTimeHours: '24', active: 'on' };
