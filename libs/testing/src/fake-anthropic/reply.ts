// The shared reply types, in Anthropic's reply options and error object.
import type * as Shared from '../shared/reply';
import type { AnthropicError, AnthropicReplyOptions } from './types';

export { failure } from '../shared/reply';

export type Reply = Shared.Reply<AnthropicError>;
export type EndpointContext = Shared.EndpointContext<AnthropicReplyOptions>;
export type Endpoint = Shared.Endpoint<AnthropicReplyOptions, AnthropicError>;
export type RouteMatch = Shared.RouteMatch<AnthropicReplyOptions, AnthropicError>;
