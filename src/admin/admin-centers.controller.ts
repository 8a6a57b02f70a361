import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, StaffActor } from '../auth/guards/auth-context';
import { StaffRoles } from '../auth/guards/signed-in.decorator';
import { AdminCentersService } from './admin-centers.service';
import { AdminCenterView, ScheduleChangeView } from './dto/admin.views';
import { CreateCenterDto, UpdateCenterDto } from './dto/center.dto';
import { CenterServicesDto, ClosureDto, OpeningHoursDto } from './dto/schedule.dto';

const AFFECTED = { status: 409, description: '`bookings_affected` (with `slots: [{ slotId, startsAt, booked, newCapacity }]`) when onBookings is refuse; nothing changed' };

@ApiTags('admin')
@StaffRoles('admin')
@Controller('api/v1/admin/centers')
export class AdminCentersController {
  constructor(private readonly centers: AdminCentersService) {}

  @Get()
  @ApiOperation({ summary: 'Every center with its settings, opening hours, services and coming closures' })
  @ApiResponse({ status: 200, type: [AdminCenterView] })
  list(): Promise<AdminCenterView[]> {
    return this.centers.list();
  }

  @Post()
  @ApiOperation({ summary: 'A new center (add services and opening hours next)' })
  @ApiResponse({ status: 201, type: AdminCenterView })
  @ApiResponse({ status: 409, description: '`duplicate_code`' })
  create(@CurrentStaff() actor: StaffActor, @Body() body: CreateCenterDto): Promise<AdminCenterView> {
    return this.centers.create(actor, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One center with its settings, opening hours, services and coming closures' })
  @ApiResponse({ status: 200, type: AdminCenterView })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<AdminCenterView> {
    return this.centers.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change settings; a new slot length or time zone re-plans the window’s slots' })
  @ApiResponse({ status: 200, type: AdminCenterView })
  @ApiResponse({ status: 409, description: '`duplicate_code`, or `bookings_affected` as for opening hours' })
  update(@CurrentStaff() actor: StaffActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateCenterDto): Promise<AdminCenterView> {
    return this.centers.update(actor, id, body);
  }

  @Put(':id/services')
  @ApiOperation({ summary: 'The services the center offers (those that stay keep their own lead time)' })
  @ApiResponse({ status: 200, type: AdminCenterView })
  services(@CurrentStaff() actor: StaffActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: CenterServicesDto): Promise<AdminCenterView> {
    return this.centers.setServices(actor, id, body.serviceIds);
  }

  @Put(':id/opening-hours')
  @ApiOperation({ summary: 'Replace the opening hours; the window’s slots follow' })
  @ApiResponse({ status: 200, type: ScheduleChangeView })
  @ApiResponse(AFFECTED)
  hours(@CurrentStaff() actor: StaffActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: OpeningHoursDto): Promise<ScheduleChangeView> {
    return this.centers.setHours(actor, id, body);
  }

  @Post(':id/closures')
  @ApiOperation({ summary: 'Close the center on a day or a range of days' })
  @ApiResponse({ status: 201, type: ScheduleChangeView })
  @ApiResponse(AFFECTED)
  close(@CurrentStaff() actor: StaffActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: ClosureDto): Promise<ScheduleChangeView> {
    return this.centers.addClosures(actor, id, body);
  }

  @Delete(':id/closures/:closureId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Open a closed day again (its slots come back if it is in the window)' })
  @ApiResponse({ status: 200, type: ScheduleChangeView })
  reopen(
    @CurrentStaff() actor: StaffActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('closureId', ParseUUIDPipe) closureId: string,
  ): Promise<ScheduleChangeView> {
    return this.centers.removeClosure(actor, id, closureId);
  }
}
