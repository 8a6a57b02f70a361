import enAdmin from './locales/en/admin.json';
import enCommon from './locales/en/common.json';
import enDisplay from './locales/en/display.json';
import enErrors from './locales/en/errors.json';
import enResident from './locales/en/resident.json';
import enSms from './locales/en/sms.json';
import enStaff from './locales/en/staff.json';
import zhAdmin from './locales/zh-CN/admin.json';
import zhCommon from './locales/zh-CN/common.json';
import zhDisplay from './locales/zh-CN/display.json';
import zhErrors from './locales/zh-CN/errors.json';
import zhResident from './locales/zh-CN/resident.json';
import zhSms from './locales/zh-CN/sms.json';
import zhStaff from './locales/zh-CN/staff.json';

/** Every catalogue, by language and namespace. A test fails when the two languages differ in keys. */
export const RESOURCES = {
  'zh-CN': { common: zhCommon, errors: zhErrors, resident: zhResident, sms: zhSms, staff: zhStaff, display: zhDisplay, admin: zhAdmin },
  en: { common: enCommon, errors: enErrors, resident: enResident, sms: enSms, staff: enStaff, display: enDisplay, admin: enAdmin },
};
