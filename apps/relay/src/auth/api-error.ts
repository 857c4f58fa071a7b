import { HttpException } from '@nestjs/common';

/**
 * An `/api` error with a stable machine-readable `code`, answered by the exception filter as
 * `{ "error": { "message", "type", "code" } }` (OpenAI's shape, like the rest of the relay). Unlike
 * other server errors, the message of a 5xx `ApiError` is shown as is: it is written for the caller.
 */
export class ApiError extends HttpException {
  constructor(
    status: number,
    message: string,
    readonly code: string,
  ) {
    super(message, status);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string, code = 'invalid_request') => new ApiError(400, message, code);
export const unauthorized = (message: string, code = 'unauthorized') => new ApiError(401, message, code);
export const forbidden = (message: string, code = 'forbidden') => new ApiError(403, message, code);
export const notFound = (message: string, code = 'not_found') => new ApiError(404, message, code);
export const conflict = (message: string, code = 'conflict') => new ApiError(409, message, code);
