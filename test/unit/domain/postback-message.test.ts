/**
 * The queue message's body: whatever text a postback carries, the body is printable ASCII (so SQS can
 * never refuse it for its characters) and reads back to exactly the message that was sent.
 */
import fc from 'fast-check';
import { readPostbackMessage } from '../../../functions/domain/postback-message';
import { serialisePostbackMessage, type PostbackMessage } from '../../../functions/domain/postback-log';

const anyText = fc.string({ unit: 'binary', maxLength: 200 });

test('any text survives the queue body exactly, and the body is printable ASCII', () => {
  fc.assert(
    fc.property(anyText, fc.option(anyText), fc.option(anyText), (rawQuery, body, contentType) => {
      const message: PostbackMessage = {
        v: 1,
        postbackId: 'pb_1',
        accountId: 'acct-1',
        receivedAt: '2026-11-25T00:00:00.000Z',
        sourceIp: null,
        raw: { method: 'POST', channel: 'conversion', rawQuery, body, contentType },
        rejection: null,
      };
      const serialised = serialisePostbackMessage(message);
      expect(serialised).toMatch(/^[\x20-\x7e]*$/);
      expect(readPostbackMessage(serialised)).toEqual({ ok: true, message });
    }),
    { numRuns: 500 },
  );
});

test('the characters SQS refuses are escaped, not dropped', () => {
  const message = {
    v: 1,
    postbackId: 'pb_1',
    accountId: 'a',
    receivedAt: 't',
    sourceIp: null,
    raw: {
      method: 'GET',
      channel: 'conversion',
      rawQuery: 'x=\uFFFE\u0000😀é',
      body: null,
      contentType: null,
    },
    rejection: null,
  } as const;
  expect(serialisePostbackMessage(message)).toContain('x=\\ufffe\\u0000\\ud83d\\ude00\\u00e9');
});
