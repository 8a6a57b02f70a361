import { Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IMPORT_MODES, ImportMode, RegistryImportView } from '../../admin/dto/registry.dto';
import { RegistryImportService } from '../../admin/registry-import.service';
import { CurrentStaff, StaffActor } from '../../auth/guards/auth-context';
import { StaffRoles } from '../../auth/guards/signed-in.decorator';
import { DomainError } from '../../common/errors/domain-error';
import { CsrfService } from '../csrf.service';
import { PageRenderer } from '../page';
import { FormErrors, fromDomainError, isFormError, message } from '../staff/form-errors';
import { WebErrorFilter } from '../web-error.filter';
import { readUpload } from './multipart-body';

/** Rejected lines shown on the page; the count says how many there were in all. */
const SHOWN_REJECTIONS = 200;

/**
 * The registry import as a page: a CSV file (`idNumber,phone`) chosen in a form, imported
 * line by line by the API's import; the answer shows what was imported and each rejected line.
 */
@ApiExcludeController()
@StaffRoles('admin')
@UseFilters(WebErrorFilter)
@Controller('admin/registry')
export class AdminRegistryPageController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly registry: RegistryImportService,
    private readonly csrf: CsrfService,
  ) {}

  @Get()
  async form(@CurrentStaff() actor: StaffActor, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.render(request, reply, actor, 'valid-lines', {});
  }

  /** The CSRF token comes in the upload's first field, so it is checked here rather than by the guard. */
  @Post()
  async upload(@CurrentStaff() actor: StaffActor, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { fields, file } = request.isMultipart() ? await readUpload(request) : { fields: (request.body ?? {}) as Record<string, string>, file: undefined };
    if (!this.csrf.verifyToken(request, fields._csrf)) {
      file?.resume(); // read to its end unimported, so the answer can be sent
      throw new DomainError('csrf_failed');
    }
    const mode: ImportMode = (IMPORT_MODES as readonly string[]).includes(fields.mode ?? '') ? (fields.mode as ImportMode) : 'valid-lines';
    if (!file) return this.render(request, reply, actor, mode, { file: message('admin:registry.file_required') }, 400);
    try {
      const result = await this.registry.import(actor, file, mode);
      await this.render(request, reply, actor, mode, {}, 200, result);
    } catch (error) {
      file.resume();
      if (!isFormError(error)) throw error;
      await this.render(request, reply, actor, mode, { file: fromDomainError(error) }, error.status);
    }
  }

  private async render(request: FastifyRequest, reply: FastifyReply, actor: StaffActor, mode: ImportMode, errors: FormErrors, status = 200, result?: RegistryImportView): Promise<void> {
    const shown = result ? { ...result, rejected: result.rejected.slice(0, SHOWN_REJECTIONS) } : undefined;
    await this.pages.render(request, reply, 'admin/registry', { staff: actor, current: 'registry', mode, modes: IMPORT_MODES, errors, result: shown, refused: mode === 'all-or-nothing' && (result?.rejectedTotal ?? 0) > 0 }, status);
  }
}
