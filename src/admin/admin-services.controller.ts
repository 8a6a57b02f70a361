import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, StaffActor } from '../auth/guards/auth-context';
import { StaffRoles } from '../auth/guards/signed-in.decorator';
import { AdminServicesService } from './admin-services.service';
import { AdminServiceView } from './dto/admin.views';
import { CreateServiceDto, UpdateServiceDto } from './dto/service.dto';

@ApiTags('admin')
@StaffRoles('admin')
@Controller('api/v1/admin/services')
export class AdminServicesController {
  constructor(private readonly services: AdminServicesService) {}

  @Get()
  @ApiOperation({ summary: 'Every service, active or not' })
  @ApiResponse({ status: 200, type: [AdminServiceView] })
  list(): Promise<AdminServiceView[]> {
    return this.services.list();
  }

  @Post()
  @ApiOperation({ summary: 'A new service' })
  @ApiResponse({ status: 201, type: AdminServiceView })
  @ApiResponse({ status: 409, description: '`duplicate_code`' })
  create(@CurrentStaff() actor: StaffActor, @Body() body: CreateServiceDto): Promise<AdminServiceView> {
    return this.services.create(actor, body);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a service (an inactive one cannot be booked)' })
  @ApiResponse({ status: 200, type: AdminServiceView })
  @ApiResponse({ status: 409, description: '`duplicate_code`' })
  update(@CurrentStaff() actor: StaffActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateServiceDto): Promise<AdminServiceView> {
    return this.services.update(actor, id, body);
  }
}
