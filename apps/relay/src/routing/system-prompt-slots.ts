import { type BodyDraft, isPlainObject, type JsonObject } from './body-draft';
import type { RelayEndpoint } from './route-plan';

/** Where an endpoint's body keeps its system instructions, and the three edits the config asks for. */
export interface SystemPromptSlot {
  /** Puts `text` before every other system instruction. */
  insertFirst(draft: BodyDraft, text: string): void;
  /** Prepends `text` to the first existing system instruction, or inserts it when there is none. */
  prependToExisting(draft: BodyDraft, text: string): void;
  /** Replaces every system instruction with `text`. */
  replaceAll(draft: BodyDraft, text: string): void;
}

const JOIN = '\n\n';

function isSystemMessage(message: unknown): message is JsonObject {
  return isPlainObject(message) && message.role === 'system';
}

/** Chat completions: `system` messages in `messages`. */
const chatSlot: SystemPromptSlot = {
  insertFirst(draft, text) {
    const messages = draft.get('messages');
    if (!Array.isArray(messages)) return;
    draft.set('messages', [{ role: 'system', content: text }, ...messages]);
  },
  prependToExisting(draft, text) {
    const messages = draft.get('messages');
    if (!Array.isArray(messages)) return;
    const index = messages.findIndex(
      (message) =>
        isSystemMessage(message) && (typeof message.content === 'string' || Array.isArray(message.content)),
    );
    if (index < 0) {
      chatSlot.insertFirst(draft, text);
      return;
    }
    const message = messages[index] as JsonObject;
    const next = messages.slice();
    next[index] = { ...message, content: prependText(text, message.content as string | unknown[]) };
    draft.set('messages', next);
  },
  replaceAll(draft, text) {
    const messages = draft.get('messages');
    if (!Array.isArray(messages)) return;
    draft.set('messages', [
      { role: 'system', content: text },
      ...messages.filter((m) => !isSystemMessage(m)),
    ]);
  },
};

/** Responses API: the `instructions` string. */
const responsesSlot: SystemPromptSlot = {
  insertFirst(draft, text) {
    const instructions = draft.get('instructions');
    draft.set(
      'instructions',
      typeof instructions === 'string' && instructions ? text + JOIN + instructions : text,
    );
  },
  prependToExisting(draft, text) {
    responsesSlot.insertFirst(draft, text);
  },
  replaceAll(draft, text) {
    draft.set('instructions', text);
  },
};

/** Anthropic Messages: top-level `system`, a string or an array of text blocks. */
const messagesSlot: SystemPromptSlot = {
  insertFirst(draft, text) {
    const system = draft.get('system');
    if (Array.isArray(system)) draft.set('system', [{ type: 'text', text }, ...system]);
    else draft.set('system', typeof system === 'string' && system ? text + JOIN + system : text);
  },
  prependToExisting(draft, text) {
    messagesSlot.insertFirst(draft, text);
  },
  replaceAll(draft, text) {
    draft.set('system', text);
  },
};

function prependText(text: string, content: string | unknown[]): string | unknown[] {
  if (typeof content === 'string') return content ? text + JOIN + content : text;
  return [{ type: 'text', text }, ...content];
}

/** Legacy completions carry a bare `prompt`: params apply, system prompts have nowhere to go. */
const noSlot: SystemPromptSlot = {
  insertFirst() {},
  prependToExisting() {},
  replaceAll() {},
};

/** Endpoints whose bodies get params and system prompts; the others only get the model name. */
export const SYSTEM_PROMPT_SLOTS: Partial<Record<RelayEndpoint, SystemPromptSlot>> = {
  chat: chatSlot,
  completions: noSlot,
  responses: responsesSlot,
  messages: messagesSlot,
};
