import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/guards/public.decorator';
import { AvailabilityService } from './availability.service';
import { AvailabilityQuery } from './dto/availability.query';
import { AvailableSlotView } from './dto/available-slot.view';

@ApiTags('public')
@Public()
@Controller('api/v1/centers')
export class AvailabilityController {
  constructor(private readonly availability: AvailabilityService) {}

  @Get(':centerId/availability')
  @ApiOperation({ summary: 'Bookable slots for a service: places left, inside the booking window and lead time' })
  @ApiResponse({ status: 200, type: [AvailableSlotView] })
  list(@Param('centerId', ParseUUIDPipe) centerId: string, @Query() query: AvailabilityQuery): Promise<AvailableSlotView[]> {
    return this.availability.available(centerId, query.serviceId, query.from, query.to);
  }
}
