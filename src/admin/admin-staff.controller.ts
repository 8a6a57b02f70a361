import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, StaffActor } from '../auth/guards/auth-context';
import { StaffRoles } from '../auth/guards/signed-in.decorator';
import { AdminStaffService } from './admin-staff.service';
import { StaffView } from './dto/admin.views';
import { CreateStaffDto, UpdateStaffDto } from './dto/staff.dto';

@ApiTags('admin')
@StaffRoles('admin')
@Controller('api/v1/admin/staff')
export class AdminStaffController {
  constructor(private readonly staff: AdminStaffService) {}

  @Get()
  @ApiOperation({ summary: 'Every staff account (never a password hash or a TOTP secret)' })
  @ApiResponse({ status: 200, type: [StaffView] })
  list(): Promise<StaffView[]> {
    return this.staff.list();
  }

  @Post()
  @ApiOperation({ summary: 'A new account; supervisors and admins get a TOTP secret, shown once as totpUri' })
  @ApiResponse({ status: 201, type: StaffView })
  @ApiResponse({ status: 409, description: '`duplicate_username`' })
  create(@CurrentStaff() actor: StaffActor, @Body() body: CreateStaffDto): Promise<StaffView> {
    return this.staff.create(actor, body);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Reset the password, change role or center, disable or enable; these end the account’s sessions' })
  @ApiResponse({ status: 200, type: StaffView })
  @ApiResponse({ status: 409, description: '`duplicate_username`' })
  update(@CurrentStaff() actor: StaffActor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateStaffDto): Promise<StaffView> {
    return this.staff.update(actor, id, body);
  }
}
