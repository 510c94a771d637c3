/** Links and pixels: create and edit affiliate links, copy a link's click URL; the merchants' pixels with their snippets. */
import { useState } from 'preact/hooks';
import { api, type LinkView } from '../api';
import { useAccount } from '../account';
import { formatTime } from '../format';
import { CopyButton, CopyField, DataTable, ErrorNote, Loading, useAction, useLoad } from '../ui';

interface LinkForm {
  linkId: string;
  name: string;
  destinationUrl: string;
  campaign: string;
}
const EMPTY: LinkForm = { linkId: '', name: '', destinationUrl: '', campaign: '' };

function Field(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  required?: boolean;
  type?: 'text' | 'url';
  hint?: string;
  readOnly?: boolean;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={(props.type ?? 'text') as 'text'}
        required={props.required}
        readOnly={props.readOnly}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
        value={props.value}
        onInput={(event) => props.onInput((event.currentTarget as HTMLInputElement).value)}
      />
      {props.hint && (
        <small id={`${props.id}-hint`} class="hint">
          {props.hint}
        </small>
      )}
    </div>
  );
}
export { Field };

function Links() {
  const { accountId, timeZone } = useAccount();
  const listing = useLoad(() => api.listLinks(accountId), [accountId]);
  const [saved, setSaved] = useState<LinkView[]>([]);
  const [form, setForm] = useState<LinkForm>(EMPTY);
  const [editing, setEditing] = useState(false);
  const [last, setLast] = useState<LinkView | null>(null);
  const save = useAction();

  const links = [
    ...saved,
    ...(listing.data?.links ?? []).filter((link) => !saved.some((s) => s.linkId === link.linkId)),
  ];
  const submit = (event: Event) => {
    event.preventDefault();
    void save.run(async () => {
      const link = await api.saveLink(accountId, form.linkId.trim(), {
        name: form.name,
        destinationUrl: form.destinationUrl,
        campaign: form.campaign.trim() || null,
      });
      setSaved((current) => [link, ...current.filter((l) => l.linkId !== link.linkId)]);
      setLast(link);
      setForm(EMPTY);
      setEditing(false);
    });
  };
  const clickUrlOf = (link: LinkView) =>
    link.clickUrl ?? `${location.origin}/v1/click/${encodeURIComponent(link.linkId)}`;

  return (
    <section aria-labelledby="links-heading">
      <h2 id="links-heading">Links</h2>
      <p>
        A link sends shoppers to your offer through a click URL, which records the click and adds its click id
        as subid, so sales can be tied to it.
      </p>
      <form
        class="stack"
        onSubmit={submit}
        aria-label={editing ? `Edit link ${form.linkId}` : 'Create a link'}
      >
        <h3>{editing ? `Edit link ${form.linkId}` : 'Create a link'}</h3>
        <Field
          id="link-id"
          label="Link id"
          required
          readOnly={editing}
          hint="Letters, digits, _, . and -; part of the click URL."
          value={form.linkId}
          onInput={(linkId) => setForm({ ...form, linkId })}
        />
        <Field
          id="link-name"
          label="Name"
          required
          value={form.name}
          onInput={(name) => setForm({ ...form, name })}
        />
        <Field
          id="link-destination"
          label="Destination URL"
          type="url"
          required
          hint="Your Buygoods offer (hop) link."
          value={form.destinationUrl}
          onInput={(destinationUrl) => setForm({ ...form, destinationUrl })}
        />
        <Field
          id="link-campaign"
          label="Campaign (optional)"
          value={form.campaign}
          onInput={(campaign) => setForm({ ...form, campaign })}
        />
        <button type="submit" class="primary" disabled={save.busy}>
          {editing ? 'Save link' : 'Create link'}
        </button>
        {editing && (
          <button type="button" onClick={() => (setForm(EMPTY), setEditing(false))}>
            Cancel editing
          </button>
        )}
        <ErrorNote error={save.error} />
      </form>
      {last && (
        <div role="status" class="note ok">
          <p>Saved link {last.linkId}. Use its click URL in your ads:</p>
          <CopyField id="saved-click-url" label="Click URL" value={clickUrlOf(last)} />
        </div>
      )}
      {listing.loading && <Loading what="links" />}
      {listing.error && !saved.length ? <ErrorNote error={listing.error} onRetry={listing.reload} /> : null}
      {!listing.loading && !listing.error && links.length === 0 && (
        <p class="note empty">No links yet: create your first one above.</p>
      )}
      {links.length > 0 && (
        <DataTable caption="Your links" columns={['Link', 'Destination', 'Campaign', 'Updated', 'Actions']}>
          {links.map((link) => (
            <tr key={link.linkId}>
              <td>
                {link.name} <small>({link.linkId})</small>
              </td>
              <td class="wrap">{link.destinationUrl}</td>
              <td>{link.campaign ?? '-'}</td>
              <td>{formatTime(link.updatedAt, timeZone)}</td>
              <td>
                <CopyButton value={clickUrlOf(link)} label={`Copy click URL of ${link.linkId}`} />
                <button
                  type="button"
                  onClick={() => {
                    setForm({
                      linkId: link.linkId,
                      name: link.name,
                      destinationUrl: link.destinationUrl,
                      campaign: link.campaign ?? '',
                    });
                    setEditing(true);
                  }}
                >
                  Edit {link.linkId}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function Pixels() {
  const { accountId, timeZone, navigate } = useAccount();
  const pixels = useLoad(() => api.listPixels(accountId), [accountId]);
  return (
    <section aria-labelledby="pixels-heading">
      <h2 id="pixels-heading">Pixels</h2>
      {pixels.loading && <Loading what="pixels" />}
      <ErrorNote error={pixels.error} onRetry={pixels.reload} />
      {pixels.data && pixels.data.pixels.length === 0 && (
        <p class="note empty">
          No pixels yet: each Buygoods merchant gets a page-view and a conversion pixel.{' '}
          <a href="#" onClick={(event) => (event.preventDefault(), navigate('catalog'))}>
            Add a merchant
          </a>{' '}
          first.
        </p>
      )}
      {pixels.data?.pixels.map((pixel) => (
        <article key={pixel.pixelId} class="pixel" aria-labelledby={`pixel-${pixel.pixelId}`}>
          <h3 id={`pixel-${pixel.pixelId}`}>
            {pixel.event === 'pageview' ? 'Page-view' : 'Conversion'} pixel of merchant {pixel.merchantId}
          </h3>
          <p>
            {pixel.hits} hits{pixel.lastHitAt ? `, last ${formatTime(pixel.lastHitAt, timeZone)}` : ''}.{' '}
            {pixel.event === 'pageview'
              ? 'Paste on the landing page.'
              : 'Paste on the order confirmation page.'}
          </p>
          <label for={`snippet-${pixel.pixelId}`}>Snippet</label>
          <textarea id={`snippet-${pixel.pixelId}`} readOnly rows={5} value={pixel.snippet} />
          <CopyButton value={pixel.snippet} label={`Copy ${pixel.event} snippet`} />
        </article>
      ))}
    </section>
  );
}

export function LinksPage() {
  return (
    <>
      <h1>Links and pixels</h1>
      <Links />
      <Pixels />
    </>
  );
}
