/** The account a page shows, its time zone, and navigation between the account's pages. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export interface AccountContext {
  readonly accountId: string;
  /** IANA time zone every time is shown in: the account's setting, else UTC. */
  readonly timeZone: string;
  /** After the account's time zone was saved: every page shows times in it. */
  timeZoneChanged(timeZone: string): void;
  /** Goes to another page of the same account. */
  navigate(page: string, argument?: string): void;
}

export const Account = createContext<AccountContext>(null as unknown as AccountContext);
export const useAccount = () => useContext(Account);
