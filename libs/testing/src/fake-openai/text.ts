// OpenAI's text helpers: the shared ones, plus the fingerprint its completions carry.
export * from '../shared/text';

export const SYSTEM_FINGERPRINT = 'fp_f4ke0pena1';
