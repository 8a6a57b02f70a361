import { Controller, Get, Param, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { Public } from '../../auth/guards/public.decorator';
import { CentersService } from '../../centers/centers.service';
import { Clock } from '../../common/time/clock';
import { DisplayService } from '../../display/display.service';
import { I18nService } from '../../i18n/i18n.service';
import { PageRenderer } from '../page';
import { WebErrorFilter } from '../web-error.filter';

/**
 * The waiting-room screen: the last called tickets and their counters, in both languages at
 * once, drawn on the server (so it shows the state before any script runs) and kept current
 * by the public display stream. Tickets and counters only: never a name, ID or phone.
 */
@ApiExcludeController()
@Public()
@UseFilters(WebErrorFilter)
@Controller('display')
export class DisplayPageController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly centers: CentersService,
    private readonly display: DisplayService,
    private readonly i18n: I18nService,
    private readonly clock: Clock,
  ) {}

  @Get(':centerCode')
  async board(@Param('centerCode') code: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const center = await this.centers.byCode(code.slice(0, 32));
    const state = await this.display.state(center);
    const now = DateTime.fromJSDate(this.clock.now(), { zone: center.timezone });
    // Chinese first and English beside it, whatever the screen's browser prefers.
    await this.pages.render(request, reply, 'display/board', {
      t: this.i18n.translator('zh-CN'),
      en: this.i18n.translator('en'),
      lang: 'zh-CN',
      center,
      state,
      // The screen's own clock may be wrong: its script keeps the offset to this one.
      serverNow: now.toMillis(),
      clockIso: now.toISO(),
      clockText: now.toFormat('HH:mm'),
    });
  }
}
