import { CenterPageExtras } from './center-page.service';

const NOTICES = new Set(['created', 'settings', 'services', 'hours', 'closure', 'closure_removed']);

/** The notice after a change (post/redirect/get): `?done=hours&cancelled=2`. */
export function noticeOf(query: Record<string, string | undefined>): CenterPageExtras {
  const notice = query.done && NOTICES.has(query.done) ? query.done : undefined;
  const cancelled = /^\d{1,6}$/.test(query.cancelled ?? '') ? Number(query.cancelled) : 0;
  return { notice, cancelled };
}
