/** The server-side secret tokens are derived from (Secrets Manager in AWS). */
export interface TokenSecretSource {
  get(): Promise<string>;
}
