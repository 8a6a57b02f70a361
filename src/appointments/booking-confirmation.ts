import { Center } from '../centers/center.entity';
import { formatMinute } from '../common/time/format';
import { I18nService } from '../i18n/i18n.service';

/** The "booking confirmed" SMS for a booking or a new time: Chinese, then English, each with the center's name in its language. */
export function bookingConfirmation(i18n: I18nService, reference: string, startsAt: Date, center: Center): string {
  const time = formatMinute(startsAt, center.timezone);
  return [
    i18n.t('zh-CN', 'sms:booking_confirmed', { reference, time, center: center.nameZh }),
    i18n.t('en', 'sms:booking_confirmed', { reference, time, center: center.nameEn }),
  ].join(' ');
}
