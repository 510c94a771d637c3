/** What the listing ports share: a page with the cursor to the next one, and a time range. */
export interface Page<T> {
  readonly items: T[];
  readonly cursor: string | null;
}

export interface TimeRange {
  readonly from: string | null;
  readonly to: string | null;
}
