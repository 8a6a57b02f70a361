import { createEvent, DateArray } from 'ics';
import { Appointment } from './appointment.entity';
import { foldByOctets } from './calendar-folding';

const utc = (date: Date): DateArray => [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes()];

/** An iCalendar event for the appointment, with where to go, what to bring and a reminder an hour before. */
export function appointmentCalendar(appointment: Appointment, publicUrl: string): string {
  const center = appointment.center!;
  const service = appointment.service!;
  const documents = service.requiredDocuments.map((doc) => `- ${doc.zh} / ${doc.en}`).join('\n');
  const { error, value } = createEvent({
    uid: `${appointment.id}@civic-desk`,
    start: utc(appointment.slot!.startsAt),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: utc(appointment.slot!.endsAt),
    endInputType: 'utc',
    endOutputType: 'utc',
    title: `${service.nameZh} / ${service.nameEn} — ${appointment.reference}`,
    location: `${center.nameZh}, ${center.addressZh} / ${center.nameEn}, ${center.addressEn}`,
    description: [
      `预约号 Reference: ${appointment.reference}`,
      '',
      '请携带 What to bring:',
      documents || '- 身份证 / ID card',
      '',
      '无需拍照或人脸识别:在柜台出示身份证或读出短信验证码即可。',
      'No photo or face scan: show your ID card or read out the SMS code at the counter.',
    ].join('\n'),
    url: `${publicUrl}/me/appointments`,
    alarms: [{ action: 'display', description: `${service.nameZh} ${appointment.reference} / ${service.nameEn}`, trigger: { hours: 1, before: true } }],
    status: appointment.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
    method: 'PUBLISH',
    productId: 'civic-desk',
  });
  if (error || !value) throw error ?? new Error('calendar entry could not be made');
  return foldByOctets(value);
}
