import { Center } from '../centers/center.entity';
import { formatMinute } from '../common/time/format';
import { I18nService } from '../i18n/i18n.service';

/** The "booking confirmed" SMS for a booking or a new time. */
export function bookingConfirmation(i18n: I18nService, reference: string, startsAt: Date, center: Center): string {
  return appointmentSms(i18n, 'sms:booking_confirmed', reference, startsAt, center);
}

/** The SMS that confirms a resident's own cancellation. */
export function cancellationNotice(i18n: I18nService, reference: string, startsAt: Date, center: Center): string {
  return appointmentSms(i18n, 'sms:booking_cancelled', reference, startsAt, center);
}

/** Chinese, then English, each with the center's name in its language. */
function appointmentSms(i18n: I18nService, key: string, reference: string, startsAt: Date, center: Center): string {
  const time = formatMinute(startsAt, center.timezone);
  return [i18n.t('zh-CN', key, { reference, time, center: center.nameZh }), i18n.t('en', key, { reference, time, center: center.nameEn })].join(' ');
}
