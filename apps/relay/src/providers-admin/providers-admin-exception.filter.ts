import { type ArgumentsHost, Catch } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RelayExceptionFilter } from '../relay/relay-exception.filter';
import { ConfigEditRejectedError } from './config-edit-rejected.error';

/** The relay's error answers, plus config edits refused with every problem listed. */
@Catch()
export class ProvidersAdminExceptionFilter extends RelayExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (!(exception instanceof ConfigEditRejectedError)) return super.catch(exception, host);
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    reply
      .code(exception.getStatus())
      .header('content-type', 'application/json')
      .send(JSON.stringify(exception.getResponse()));
  }
}
