import { HttpException } from '@nestjs/common';
import type { ConfigEditorError } from '../config-editor/config-editor.service';

/**
 * A providers edit the config editor refused (invalid: 422, the file changed meanwhile: 409).
 * Answered as `PUT /api/config` answers: `{error: {message, type, code}, errors: [...]}`.
 */
export class ConfigEditRejectedError extends HttpException {
  constructor(
    status: 409 | 422,
    readonly errors: ConfigEditorError[],
  ) {
    const conflict = status === 409;
    super(
      {
        error: {
          message: conflict ? errors[0].message : 'invalid configuration: nothing was saved',
          type: 'invalid_request_error',
          code: conflict ? 'config_changed' : 'invalid_config',
        },
        errors,
      },
      status,
    );
  }
}
