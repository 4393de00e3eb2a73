import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { logger } from "./logger";

/**
 * In staging and production every secret lives in one AWS Secrets Manager entry (a JSON object).
 * Values already present in the environment win, so an operator can override one key for a deploy.
 * Locally APP_SECRETS_ID is unset and `.env` is used instead.
 */
export async function loadSecrets(): Promise<void> {
  const secretId = process.env.APP_SECRETS_ID;
  if (!secretId) return;
  const client = new SecretsManagerClient({ region: process.env.AWS_REGION });
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const secrets = JSON.parse(SecretString ?? "{}") as Record<string, string>;
  for (const [key, value] of Object.entries(secrets)) {
    process.env[key] ??= value;
  }
  logger.info({ secretId, keys: Object.keys(secrets).length }, "loaded secrets");
}
