/**
 * The token secret: from Secrets Manager in AWS (fetched once per container), or given directly in local
 * mode. Without it no token can be derived, which is the point: the table alone yields no URL.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { TokenSecretSource } from '../ports/token-secret-source';

export class StaticTokenSecret implements TokenSecretSource {
  constructor(private readonly secret: string) {
    if (secret.length < 32) throw new Error('The token secret must be at least 32 characters');
  }
  async get(): Promise<string> {
    return this.secret;
  }
}

export class SecretsManagerTokenSecret implements TokenSecretSource {
  private value: Promise<string> | null = null;
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretArn: string,
  ) {}

  get(): Promise<string> {
    this.value ??= this.fetch().catch((error: unknown) => {
      this.value = null; // a failed fetch is retried on the next request, not cached
      throw error;
    });
    return this.value;
  }

  private async fetch(): Promise<string> {
    const result = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretArn }));
    if (!result.SecretString) throw new Error('The token secret is empty');
    return result.SecretString;
  }
}
