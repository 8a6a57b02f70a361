import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/guards/public.decorator';
import { CentersService } from './centers.service';
import { CenterView, ServiceView } from './dto/center.view';

@ApiTags('public')
@Public()
@Controller('api/v1/centers')
export class CentersController {
  constructor(private readonly centers: CentersService) {}

  @Get()
  @ApiOperation({ summary: 'Community service centers' })
  @ApiResponse({ status: 200, type: [CenterView] })
  list(): Promise<CenterView[]> {
    return this.centers.list();
  }

  @Get(':centerId/services')
  @ApiOperation({ summary: 'Certificates a center hands out, with the documents to bring' })
  @ApiResponse({ status: 200, type: [ServiceView] })
  services(@Param('centerId', ParseUUIDPipe) centerId: string): Promise<ServiceView[]> {
    return this.centers.services(centerId);
  }
}
