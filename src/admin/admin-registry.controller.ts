import { Controller, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { DomainError } from '../common/errors/domain-error';
import { CurrentStaff, StaffActor } from '../auth/guards/auth-context';
import { StaffRoles } from '../auth/guards/signed-in.decorator';
import { RegistryImportQuery, RegistryImportView } from './dto/registry.dto';
import { RegistryImportService } from './registry-import.service';

@ApiTags('admin')
@StaffRoles('admin')
@Controller('api/v1/admin/registry')
export class AdminRegistryController {
  constructor(private readonly registry: RegistryImportService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Import ID ↔ phone bindings from the registration office (CSV idNumber,phone; header optional; up to 16 MiB)' })
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: 'idNumber,phone\n52010219800101001X,13812345678\n' } })
  @ApiResponse({ status: 200, type: RegistryImportView })
  @ApiResponse({ status: 413, description: '`payload_too_large`' })
  @ApiResponse({ status: 415, description: '`unsupported_media_type`: send text/csv' })
  import(@CurrentStaff() actor: StaffActor, @Query() query: RegistryImportQuery, @Req() request: FastifyRequest): Promise<RegistryImportView> {
    if (!(request.body instanceof Readable)) throw new DomainError('unsupported_media_type', { detail: 'Send the file as text/csv' });
    return this.registry.import(actor, request.body, query.mode ?? 'valid-lines');
  }
}
