import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StaffActor } from '../../auth/guards/auth-context';
import { AdminCentersService } from '../../admin/admin-centers.service';
import { AdminServicesService } from '../../admin/admin-services.service';
import { AdminCenterView, AffectedSlotView, ScheduleChangeView } from '../../admin/dto/admin.views';
import { DomainError } from '../../common/errors/domain-error';
import { PageRenderer } from '../page';
import { FormErrors, fromDomainError, isFormError, message } from '../staff/form-errors';
import { Checked, typedValues } from './admin-form';
import { centerValues } from './center-form';
import { hoursGrid, hoursValues, WEEKDAYS } from './hours-form';

/** A change refused with `bookings_affected`: the slots, and the same form again to confirm "cancel and notify". */
export interface AffectedBookings {
  action: string;
  fields: Array<[string, string]>;
  slots: AffectedSlotView[];
}

export interface CenterPageExtras {
  notice?: string;
  cancelled?: number;
  /** Which section the errors and typed values belong to: settings, services, hours or closures. */
  section?: string;
  errors?: FormErrors;
  values?: Record<string, string>;
  affected?: AffectedBookings;
}

/** Which post of the center's page, and where its "cancel and notify" step posts to. */
export interface CenterPost {
  request: FastifyRequest;
  reply: FastifyReply;
  actor: StaffActor;
  centerId: string;
  form: Record<string, unknown>;
  section: 'settings' | 'hours' | 'closures';
  action: string;
  /** The notice after success (default: the section). */
  done?: string;
}

/** Refusals of the center service, by the field they concern; the rest show at the top of their section. */
const FIELD_OF: Record<string, string> = { duplicate_code: 'code', invalid_range: 'from' };

/** The one page where a center is set up: settings, services, opening hours, closures. */
@Injectable()
export class CenterPageService {
  constructor(
    private readonly pages: PageRenderer,
    private readonly centers: AdminCentersService,
    private readonly services: AdminServicesService,
  ) {}

  async render(request: FastifyRequest, reply: FastifyReply, actor: StaffActor, centerId: string, extras: CenterPageExtras = {}, status = 200): Promise<void> {
    const center = await this.centers.get(centerId);
    const own = { ...centerValues(center), ...hoursValues(center), ...Object.fromEntries(center.services.map((s) => [`service_${s.serviceId}`, 'on'])) };
    await this.pages.render(
      request,
      reply,
      'admin/center',
      {
        staff: actor,
        current: 'centers',
        center,
        services: await this.services.list(),
        weekdays: WEEKDAYS,
        grid: hoursGrid(center),
        section: extras.section,
        // Typed values replace the stored ones in the section they were typed in.
        values: extras.values ? { ...own, ...extras.values } : own,
        errors: extras.errors ?? {},
        notice: extras.notice,
        cancelled: extras.cancelled ?? 0,
        affected: extras.affected,
      },
      status,
    );
  }

  /**
   * Applies a checked form of the page (post/redirect/get). Refusals show in the form's
   * section with what was typed; `bookings_affected` shows the slots and the second step.
   */
  async change<T>(post: CenterPost, checked: Checked<T>, apply: (value: T) => Promise<AdminCenterView | ScheduleChangeView>): Promise<void> {
    const { request, reply, actor, centerId, form, section } = post;
    const values = typedValues(form);
    if (!checked.ok) return this.render(request, reply, actor, centerId, { section, errors: checked.errors, values }, 400);
    try {
      const result = await apply(checked.value);
      const cancelled = 'cancelledAppointments' in result ? result.cancelledAppointments : 0;
      await reply.redirect(`/admin/centers/${centerId}?done=${post.done ?? section}&cancelled=${cancelled}`, 303);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'bookings_affected') {
        return this.render(request, reply, actor, centerId, { section, values, affected: this.affected(error, post.action, form) }, 409);
      }
      if (!isFormError(error)) throw error;
      // The service's own check of the hours (a period closing before it opens, or overlapping another) concerns the whole grid.
      const problem = section === 'hours' && error.code === 'validation_failed' ? message('admin:hours.invalid_periods') : fromDomainError(error);
      await this.render(request, reply, actor, centerId, { section, errors: { [FIELD_OF[error.code] ?? 'form']: problem }, values }, error.status);
    }
  }

  /** The refusal as the page shows it: the slots, and the form's fields for the second step. */
  private affected(error: DomainError, action: string, form: Record<string, unknown>): AffectedBookings {
    const fields = Object.entries(form)
      .filter(([key, value]) => key !== '_csrf' && key !== 'onBookings' && typeof value === 'string')
      .map(([key, value]) => [key, value] as [string, string]);
    return { action, fields, slots: (error.options.extensions?.slots as AffectedSlotView[] | undefined) ?? [] };
  }
}
