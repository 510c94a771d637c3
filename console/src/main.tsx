/**
 * The console: a client of the management API for the affiliates the service records commissions for.
 * Pages follow the setup guide's order; the address is `#/{accountId}/{page}/{argument}` so every view can
 * be bookmarked and the back button works.
 */
import { render } from 'preact';
import './styles.css';
import { useEffect, useState } from 'preact/hooks';
import { Account } from './account';
import { api } from './api';
import { completeSignIn, currentSession, signIn, signInConfig, signOut } from './auth';
import { IntegrationPage } from './pages/integration';
import { PostbacksPage } from './pages/postbacks';
import { OrdersPage } from './pages/orders';
import { LinksPage } from './pages/links';
import { CatalogPage } from './pages/catalog';
import { ReportsPage } from './pages/reports';

const PAGES = [
  { id: 'integration', title: 'Buygoods integration', Page: IntegrationPage },
  { id: 'postbacks', title: 'Postbacks', Page: PostbacksPage },
  { id: 'orders', title: 'Orders', Page: OrdersPage },
  { id: 'links', title: 'Links and pixels', Page: LinksPage },
  { id: 'catalog', title: 'Merchants and products', Page: CatalogPage },
  { id: 'reports', title: 'Reports', Page: ReportsPage },
] as const;

interface Place {
  readonly accountId: string | null;
  readonly page: string;
  readonly argument: string | null;
}

const LAST_ACCOUNT = 'console.accountId';

function readPlace(): Place {
  const [accountId, page, argument] = location.hash
    .replace(/^#\/?/, '')
    .split('/')
    .map((part) => decodeURIComponent(part));
  if (!accountId)
    return { accountId: localStorage.getItem(LAST_ACCOUNT), page: 'integration', argument: null };
  return { accountId, page: page || 'integration', argument: argument || null };
}

function hashOf(accountId: string, page: string, argument?: string | null) {
  return `#/${[accountId, page, ...(argument ? [argument] : [])].map(encodeURIComponent).join('/')}`;
}

function AccountPicker({ current }: { current: string | null }) {
  const [value, setValue] = useState(current ?? '');
  return (
    <form
      class="account-picker"
      onSubmit={(event) => {
        event.preventDefault();
        const accountId = value.trim();
        if (accountId) location.hash = hashOf(accountId, 'integration');
      }}
    >
      <label for="account-id">Account id</label>
      <input
        id="account-id"
        name="accountId"
        required
        value={value}
        onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)}
      />
      <button type="submit">Open account</button>
    </form>
  );
}

/** The account's time zone, once known (null while its settings load): pages wait for it, so no figure is shown in a zone it is not. */
function useTimeZone(accountId: string | null): [string | null, (timeZone: string) => void] {
  const [timeZone, setTimeZone] = useState<string | null>(null);
  useEffect(() => {
    setTimeZone(null);
    if (!accountId) return;
    let current = true;
    api.getSettings(accountId).then(
      (settings) => current && setTimeZone(settings.timeZone || 'UTC'),
      // No settings (or no settings route): UTC, and the header says so.
      () => current && setTimeZone('UTC'),
    );
    return () => {
      current = false;
    };
  }, [accountId]);
  return [timeZone, setTimeZone];
}

function App({ signInProblem }: { signInProblem: string | null }) {
  const [place, setPlace] = useState(readPlace);
  useEffect(() => {
    const onHash = () => setPlace(readPlace());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (place.accountId) localStorage.setItem(LAST_ACCOUNT, place.accountId);
  }, [place.accountId]);
  const [timeZone, setTimeZone] = useTimeZone(place.accountId);
  const page = PAGES.find((candidate) => candidate.id === place.page) ?? PAGES[0];
  useEffect(() => {
    document.title = place.accountId
      ? `${page.title} · ${place.accountId} · Postback console`
      : 'Postback console';
  }, [page, place.accountId]);

  return (
    <>
      <header class="top">
        <a class="skip" href="#main">
          Skip to content
        </a>
        <p class="brand">Postback console</p>
        {place.accountId && (
          <nav aria-label="Pages">
            <ul>
              {PAGES.map((candidate) => (
                <li key={candidate.id}>
                  <a
                    href={hashOf(place.accountId!, candidate.id)}
                    aria-current={candidate.id === page.id ? 'page' : undefined}
                  >
                    {candidate.title}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div class="session">
          {place.accountId && (
            <p>
              Account <strong>{place.accountId}</strong> · times in {timeZone ?? '…'} · amounts in USD ·{' '}
              <a href="#/" onClick={() => localStorage.removeItem(LAST_ACCOUNT)}>
                change account
              </a>
            </p>
          )}
          <SessionControls problem={signInProblem} />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {!place.accountId ? (
          <>
            <h1>Open your account</h1>
            <p>Enter the account id your postback URLs belong to.</p>
            <AccountPicker current={null} />
          </>
        ) : !timeZone ? (
          <p role="status">Loading the account's settings…</p>
        ) : (
          <Account.Provider
            value={{
              accountId: place.accountId,
              timeZone,
              timeZoneChanged: setTimeZone,
              navigate: (target, argument) => (location.hash = hashOf(place.accountId!, target, argument)),
            }}
          >
            <page.Page key={`${place.accountId}/${page.id}`} argument={place.argument} />
          </Account.Provider>
        )}
      </main>
    </>
  );
}

/**
 * Who is signed in, and the button to sign in or out. Without a session the console still calls the API
 * (locally, with no token, a loopback caller acts as an operator unless sign-in is required); the API's
 * 401 and 403 say what to do.
 */
function SessionControls({ problem }: { problem: string | null }) {
  const [available, setAvailable] = useState(false);
  useEffect(() => {
    void signInConfig().then((config) => setAvailable(config !== null));
  }, []);
  if (!available) return null;
  const session = currentSession();
  return (
    <>
      {problem && <p role="alert">{problem}</p>}
      {session ? (
        <p>
          Signed in as <strong>{session.userId}</strong>
          {session.operator ? ' (operator)' : ''}{' '}
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </p>
      ) : (
        <p>
          Not signed in{' '}
          <button type="button" onClick={() => void signIn()}>
            Sign in
          </button>
        </p>
      )}
    </>
  );
}

// Back from the hosted sign-in, the code is traded for a token before any page calls the API.
void completeSignIn().then((signInProblem) =>
  render(<App signInProblem={signInProblem} />, document.getElementById('app')!),
);
