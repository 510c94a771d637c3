/**
 * The fields a postback's log lines share, whichever function writes them (ingest's rejection line, the
 * consumer's "postback recorded" line): one name per fact, so a saved query over several log groups
 * (lib/observability.ts) finds the same column in each.
 */
import type { Rejection } from '../domain/postback';

/** The machine-readable reason a postback was refused or failed, in every log line that has one. */
export const ERROR_CODE_FIELD = 'errorCode';

export interface PostbackLogSubject {
  readonly postbackId: string;
  readonly accountId: string;
  readonly orderId: string | null;
  readonly error: Pick<Rejection, 'code'> | null;
}

export function postbackLogFields(subject: PostbackLogSubject) {
  return {
    postbackId: subject.postbackId,
    accountId: subject.accountId,
    orderId: subject.orderId,
    [ERROR_CODE_FIELD]: subject.error?.code ?? null,
  };
}
