/**
 * Buygoods integration: Activate or Manage. The two URLs to paste with copy buttons and where to paste
 * them, rotate and deactivate (each confirmed, saying what happens to the old URLs), and a test purchase
 * followed until the service has processed it.
 */
import { useState } from 'preact/hooks';
import { api, type IntegrationView, type PostbackView } from '../api';
import { useAccount } from '../account';
import { formatTime } from '../format';
import { ConfirmAction, CopyField, ErrorNote, isNotFound, Loading, useAction, useLoad } from '../ui';
import { PostbackSummary } from './postback-detail';

/** Follows a queued postback until its record says it was processed (or gives up saying so). */
export async function awaitProcessed(
  accountId: string,
  postbackId: string,
  timeoutMs = 15_000,
): Promise<PostbackView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const record = await api.getPostback(accountId, postbackId);
      if (record.outcome !== 'pending' || Date.now() > deadline) return record;
    } catch (error) {
      // Not logged yet: the queue has not delivered it. Anything else is the page's to show.
      if (!isNotFound(error) || Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

function TestPurchase({ accountId }: { accountId: string }) {
  const { busy, error, run } = useAction();
  const [record, setRecord] = useState<PostbackView | null>(null);
  const [stage, setStage] = useState('');
  const send = () =>
    run(async () => {
      setRecord(null);
      setStage('Sending a test purchase through your Conversion URL…');
      const sent = await api.sendTest(accountId);
      if ('conversionId' in sent && sent.outcome !== 'pending') {
        setRecord(sent);
      } else {
        setStage('Queued: waiting for the service to record it…');
        setRecord(await awaitProcessed(accountId, sent.postbackId));
      }
      setStage('');
    });
  return (
    <section aria-labelledby="test-heading">
      <h2 id="test-heading">Send a test purchase</h2>
      <p>
        A purchase marked as a test goes through the real path (URL, queue, ledger) and is kept out of
        reports.
      </p>
      <button type="button" onClick={send} disabled={busy}>
        Send a test purchase
      </button>
      {busy && <p role="status">{stage}</p>}
      <ErrorNote error={error} />
      {record && <PostbackSummary record={record} />}
    </section>
  );
}

function Active({ view, onChange }: { view: IntegrationView; onChange: (view: IntegrationView) => void }) {
  const { accountId, timeZone } = useAccount();
  return (
    <>
      <p class="status ok">
        Active since {formatTime(view.activatedAt, timeZone)}
        {view.rotatedAt ? `, URLs rotated ${formatTime(view.rotatedAt, timeZone)}` : ''}.
      </p>
      <section aria-labelledby="urls-heading">
        <h2 id="urls-heading">Your postback URLs</h2>
        <CopyField id="conversion-url" label="Conversion URL" value={view.conversionUrl ?? ''} />
        <CopyField id="refund-url" label="Refund URL" value={view.refundUrl ?? ''} />
        <h3>Where to paste them in the Buygoods back office</h3>
        <ol class="checklist">
          <li>
            Sign in to Buygoods as the affiliate and open <strong>Settings → Postback Pixels</strong>.
          </li>
          <li>
            Add a pixel for <strong>sales</strong> (new orders and upsells) and paste the{' '}
            <strong>Conversion URL</strong>. Leave the <code>{'{TOKENS}'}</code> in it: Buygoods fills them
            in.
          </li>
          <li>
            Add a pixel for <strong>refunds, cancels and chargebacks</strong> and paste the{' '}
            <strong>Refund URL</strong>.
          </li>
          <li>
            Put your tracking link's click id on the offer link as <code>subid</code>, so each sale can be
            tied to its click.
          </li>
          <li>Send a test purchase below, then watch it arrive in Postbacks.</li>
        </ol>
      </section>
      <TestPurchase accountId={accountId} />
      <section aria-labelledby="manage-heading">
        <h2 id="manage-heading">Manage</h2>
        <div class="actions">
          <ConfirmAction
            label="Rotate URLs"
            confirmLabel="Yes, rotate the URLs"
            explanation="New URLs are made at once and the current ones stop working immediately: Buygoods postbacks sent to the old URLs are refused until you paste the new ones in the Buygoods back office."
            onConfirm={async () => onChange(await api.rotate(accountId))}
          />
          <ConfirmAction
            label="Deactivate"
            confirmLabel="Yes, deactivate"
            danger
            explanation="Both URLs stop working at once and postbacks sent to them are refused. What was recorded stays. Activating again gives new URLs."
            onConfirm={async () => onChange(await api.deactivate(accountId))}
          />
        </div>
      </section>
    </>
  );
}

export function IntegrationPage() {
  const { accountId, timeZone } = useAccount();
  const integration = useLoad(() => api.getIntegration(accountId), [accountId]);
  const activation = useAction();
  const activate = () => activation.run(async () => integration.set(await api.activate(accountId)));
  const notActivated = isNotFound(integration.error);
  const view = integration.data;

  return (
    <>
      <h1>Buygoods integration</h1>
      {integration.loading && !view && <Loading what="the integration" />}
      {!notActivated && <ErrorNote error={integration.error} onRetry={integration.reload} />}
      {(notActivated || view?.status === 'inactive') && !view?.conversionUrl && (
        <section aria-labelledby="activate-heading">
          <h2 id="activate-heading">{notActivated ? 'Not activated yet' : 'Deactivated'}</h2>
          <p>
            {notActivated
              ? 'Activate to get your Conversion URL and Refund URL: the two URLs you paste in Buygoods so it tells this service about every sale and refund.'
              : `Deactivated ${formatTime(view?.deactivatedAt, timeZone)}: postbacks to the old URLs are refused. Activate again for new URLs.`}
          </p>
          <button type="button" class="primary" onClick={activate} disabled={activation.busy}>
            Activate
          </button>
          <ErrorNote error={activation.error} />
        </section>
      )}
      {view?.status === 'active' && view.conversionUrl && <Active view={view} onChange={integration.set} />}
    </>
  );
}
