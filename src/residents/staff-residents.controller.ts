import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, StaffActor } from '../auth/guards/auth-context';
import { SignedIn } from '../auth/guards/signed-in.decorator';
import { RebindPhoneDto } from '../counter/dto/counter.dto';
import { BindingView, PhoneBindingService } from './phone-binding.service';

@ApiTags('counter')
@SignedIn('staff')
@Controller('api/v1/staff/residents')
export class StaffResidentsController {
  constructor(private readonly binding: PhoneBindingService) {}

  @Post('phone')
  @HttpCode(200)
  @ApiOperation({ summary: "Bind a new phone to a resident whose ID card the clerk has checked (audited; ends the resident's sessions)" })
  rebind(@CurrentStaff() actor: StaffActor, @Body() body: RebindPhoneDto): Promise<BindingView> {
    return this.binding.rebind(actor, body.idNumber, body.phone);
  }
}
