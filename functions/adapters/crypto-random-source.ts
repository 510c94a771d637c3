/** The random source of every function and of local mode: node:crypto's cryptographically strong generator. */
import { randomBytes } from 'node:crypto';
import type { RandomSource } from '../ports/random-source';

export const cryptoRandomSource: RandomSource = {
  hex: (bytes) => randomBytes(bytes).toString('hex'),
  base64url: (bytes) => randomBytes(bytes).toString('base64url'),
};
