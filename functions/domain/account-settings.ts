/** An account's settings: the time zone its reports' days follow. */
export interface AccountSettings {
  readonly accountId: string;
  readonly timeZone: string;
  /** null until the account saves its settings. */
  readonly updatedAt: string | null;
}
