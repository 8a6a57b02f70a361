import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminOutboxService } from '../../notifications/admin-outbox.service';
import { CurrentStaff, StaffActor } from '../../auth/guards/auth-context';
import { StaffRoles } from '../../auth/guards/signed-in.decorator';
import { PageRenderer } from '../page';
import { WebErrorFilter } from '../web-error.filter';

/** The administration's start page, and the messages that could not be sent (recipients masked). */
@ApiExcludeController()
@StaffRoles('admin')
@UseFilters(WebErrorFilter)
@Controller('admin')
export class AdminHomePagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly outbox: AdminOutboxService,
  ) {}

  @Get()
  async home(@CurrentStaff() actor: StaffActor, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.pages.render(request, reply, 'admin/home', { staff: actor, current: 'home', parked: (await this.outbox.list('failed')).length });
  }

  @Get('outbox')
  async parked(@CurrentStaff() actor: StaffActor, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.pages.render(request, reply, 'admin/outbox', { staff: actor, current: 'outbox', messages: await this.outbox.list('failed') });
  }
}
