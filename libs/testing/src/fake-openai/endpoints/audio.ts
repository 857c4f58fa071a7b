// POST /v1/audio/transcriptions and /translations (multipart) and /v1/audio/speech (audio bytes).
import { requestedModel } from '../answer';
import { missingModel, missingParameter } from '../openai-errors';
import { type Endpoint, type EndpointContext, type Reply, failure } from '../reply';
import { isRecord } from '../text';
import type { RecordedFile } from '../types';

export const transcriptionsEndpoint: Endpoint = {
  bodyKind: 'multipart',
  answer: (context) => answerAudioToText(context, 'transcribe'),
};
export const translationsEndpoint: Endpoint = {
  bodyKind: 'multipart',
  answer: (context) => answerAudioToText(context, 'translate'),
};
export const speechEndpoint: Endpoint = { bodyKind: 'json', answer: answerSpeech };

function isRecordedFile(value: unknown): value is RecordedFile {
  return isRecord(value) && typeof value.bytes === 'number';
}

function answerAudioToText({ body, reply }: EndpointContext, task: 'transcribe' | 'translate'): Reply {
  const file = body.file;
  if (!isRecordedFile(file)) return failure(400, missingParameter('file'));
  const model = requestedModel(body);
  if (model === undefined) return failure(400, missingModel());
  const verb = task === 'transcribe' ? 'Transcribed' : 'Translated';
  const text = reply.content ?? `${verb} ${file.bytes} bytes of ${file.filename} with ${model}`;
  switch (body.response_format) {
    case 'text':
    case 'srt':
    case 'vtt':
      return { type: 'bytes', contentType: 'text/plain; charset=utf-8', body: `${text}\n` };
    case 'verbose_json':
      return {
        type: 'json',
        body: { task, language: 'english', duration: file.bytes / 16000, text, segments: [] },
      };
    default:
      return { type: 'json', body: { text } };
  }
}

const SPEECH_CONTENT_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/ogg',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};
/** An MPEG-1 Layer III frame header, so the bytes at least start like an mp3. */
const MP3_FRAME_HEADER = [0xff, 0xfb, 0x90, 0x64];

function answerSpeech({ body }: EndpointContext): Reply {
  if (requestedModel(body) === undefined) return failure(400, missingModel());
  if (typeof body.input !== 'string') return failure(400, missingParameter('input'));
  const format = typeof body.response_format === 'string' ? body.response_format : 'mp3';
  const audio = Buffer.alloc(64 + body.input.length * 16);
  audio.set(MP3_FRAME_HEADER);
  return { type: 'bytes', contentType: SPEECH_CONTENT_TYPES[format] ?? 'audio/mpeg', body: audio };
}
