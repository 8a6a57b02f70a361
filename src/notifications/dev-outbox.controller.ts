import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/guards/public.decorator';
import { DevOutboxQuery } from './dev-outbox.query';
import { DevOutboxService, DevOutboxView } from './dev-outbox.service';

/** Development only (not registered in production): what the console channel "sent". */
@ApiTags('development')
@Controller('dev/outbox')
export class DevOutboxController {
  constructor(private readonly outbox: DevOutboxService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Messages the console channel sent to a phone, newest first (development only)' })
  list(@Query() query: DevOutboxQuery): Promise<DevOutboxView[]> {
    return this.outbox.list(query.to);
  }
}
