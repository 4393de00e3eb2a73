/**
 * Known credential formats, found anywhere in a string literal.
 *
 * Source: the rule definitions of gitleaks (github.com/gitleaks/gitleaks, `cmd/generate/config/rules/*.go`
 * and `config/gitleaks.toml`): rule ids, regexes, keywords and minimum entropies are theirs, with these
 * changes, each deliberate:
 * - gitleaks' "unique token" boundary (`\b…(?:['"\s;]|\\[nr]|$)`) becomes a look-around on letters and
 *   digits, since we match the decoded value of one string literal, not a line of a file.
 * - `aws-access-token`: the unconfirmed `A3T` prefix is left out; the 16 characters are `[A-Z2-7]` as in
 *   current gitleaks; the `…EXAMPLE` allowlist is kept.
 * - `stripe-access-token`: publishable keys (`pk_…`) are public by design and left out; `sk_`/`rk_` are
 *   split to name them apart. `whsec_` (webhook signing secret) is not a gitleaks rule: its format is
 *   Stripe's documented `whsec_` + base64 (at least 32 characters).
 * - `openai-api-key`, `anthropic-*`, `github-*`, `slack-*`, `npm`, `sendgrid`, `shopify`, `twilio`,
 *   `gcp-api-key`: as gitleaks (Twilio account SIDs `AC…` are identifiers, not secrets, and gitleaks has no
 *   rule for them: left out).
 * - `mailgun-private-api-token`: gitleaks requires "mailgun" near the key; we require it in the same file.
 * - `private-key`: a literal `\n` (backslash, n) also separates the PEM header from the body, as in keys
 *   pasted from JSON.
 * JWTs are deliberately absent: in source they are nearly always fixtures or examples.
 */

export interface SecretPattern {
  /** The gitleaks rule id (or ours, when gitleaks has none). */
  id: string;
  /** What it is, for messages: "Stripe secret key". */
  kind: string;
  /** The environment variable such a key usually lives in. */
  env: string;
  /** A word that, in an identifier, already names the vendor (`stripeKey` → STRIPE_KEY is fine). */
  vendor: string;
  /** Case-sensitive substrings, one of which the text must contain before the regex runs. */
  keywords: string[];
  /** The format, with exact lengths and character sets; no `g` flag. */
  regex: RegExp;
  /** Shortest text the regex can match. */
  minLength: number;
  /** Minimum Shannon entropy (bits per character) of the match, as gitleaks requires. */
  entropy?: number;
  /** Known examples and placeholders that look like keys. */
  allow?: RegExp;
  /** A word the file must contain (gitleaks' "semi-generic" rules). */
  fileKeyword?: RegExp;
}

/** Not preceded by a letter or digit. */
const B = "(?<![A-Za-z0-9])";
/** Not followed by a letter or digit. */
const E = "(?![A-Za-z0-9])";

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    id: "aws-access-token",
    kind: "AWS access key ID",
    env: "AWS_ACCESS_KEY_ID",
    vendor: "aws",
    keywords: ["AKIA", "ASIA", "ABIA", "ACCA"],
    regex: new RegExp(`${B}(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}${E}`),
    minLength: 20,
    entropy: 3,
    allow: /EXAMPLE/,
  },
  {
    id: "stripe-access-token",
    kind: "Stripe secret key",
    env: "STRIPE_SECRET_KEY",
    vendor: "stripe",
    keywords: ["sk_live_", "sk_test_", "sk_prod_"],
    regex: new RegExp(`${B}sk_(?:live|test|prod)_[A-Za-z0-9]{10,99}${E}`),
    minLength: 18,
  },
  {
    id: "stripe-access-token",
    kind: "Stripe restricted key",
    env: "STRIPE_SECRET_KEY",
    vendor: "stripe",
    keywords: ["rk_live_", "rk_test_", "rk_prod_"],
    regex: new RegExp(`${B}rk_(?:live|test|prod)_[A-Za-z0-9]{10,99}${E}`),
    minLength: 18,
  },
  {
    id: "stripe-webhook-secret",
    kind: "Stripe webhook signing secret",
    env: "STRIPE_WEBHOOK_SECRET",
    vendor: "stripe",
    keywords: ["whsec_"],
    regex: new RegExp(`${B}whsec_[A-Za-z0-9+/=]{32,100}${E}`),
    minLength: 38,
    entropy: 3,
  },
  {
    id: "github-pat",
    kind: "GitHub personal access token",
    env: "GITHUB_TOKEN",
    vendor: "github",
    keywords: ["ghp_"],
    regex: new RegExp(`${B}ghp_[0-9a-zA-Z]{36}${E}`),
    minLength: 40,
  },
  {
    id: "github-fine-grained-pat",
    kind: "GitHub fine-grained personal access token",
    env: "GITHUB_TOKEN",
    vendor: "github",
    keywords: ["github_pat_"],
    regex: new RegExp(`${B}github_pat_[A-Za-z0-9_]{82}${E}`),
    minLength: 93,
  },
  {
    id: "github-oauth",
    kind: "GitHub OAuth access token",
    env: "GITHUB_TOKEN",
    vendor: "github",
    keywords: ["gho_"],
    regex: new RegExp(`${B}gho_[0-9a-zA-Z]{36}${E}`),
    minLength: 40,
  },
  {
    id: "github-app-token",
    kind: "GitHub App token",
    env: "GITHUB_TOKEN",
    vendor: "github",
    keywords: ["ghu_", "ghs_"],
    regex: new RegExp(`${B}gh[us]_[0-9a-zA-Z]{36}${E}`),
    minLength: 40,
  },
  {
    id: "github-refresh-token",
    kind: "GitHub refresh token",
    env: "GITHUB_REFRESH_TOKEN",
    vendor: "github",
    keywords: ["ghr_"],
    regex: new RegExp(`${B}ghr_[0-9a-zA-Z]{36}${E}`),
    minLength: 40,
  },
  {
    id: "slack-bot-token",
    kind: "Slack bot token",
    env: "SLACK_BOT_TOKEN",
    vendor: "slack",
    keywords: ["xoxb-"],
    regex: /xoxb-[0-9]{10,13}-[0-9]{10,13}[a-zA-Z0-9-]*/,
    minLength: 26,
    entropy: 3,
  },
  {
    id: "slack-legacy-bot-token",
    kind: "Slack bot token",
    env: "SLACK_BOT_TOKEN",
    vendor: "slack",
    keywords: ["xoxb-"],
    regex: /xoxb-[0-9]{8,14}-[a-zA-Z0-9]{18,26}/,
    minLength: 32,
    entropy: 2,
  },
  {
    id: "slack-user-token",
    kind: "Slack user token",
    env: "SLACK_USER_TOKEN",
    vendor: "slack",
    keywords: ["xoxp-", "xoxe-"],
    regex: /xox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9-]{28,34}/,
    minLength: 66,
    entropy: 2,
  },
  {
    id: "slack-app-token",
    kind: "Slack app-level token",
    env: "SLACK_APP_TOKEN",
    vendor: "slack",
    keywords: ["xapp-"],
    regex: /xapp-\d-[A-Za-z0-9]+-\d+-[A-Za-z0-9]+/i,
    minLength: 13,
    entropy: 2,
  },
  {
    id: "slack-legacy-workspace-token",
    kind: "Slack workspace token",
    env: "SLACK_TOKEN",
    vendor: "slack",
    keywords: ["xoxa-", "xoxr-"],
    regex: /xox[ar]-(?:\d-)?[0-9a-zA-Z]{8,48}/,
    minLength: 13,
    entropy: 2,
  },
  {
    id: "slack-webhook-url",
    kind: "Slack webhook URL",
    env: "SLACK_WEBHOOK_URL",
    vendor: "slack",
    keywords: ["hooks.slack.com"],
    regex: /(?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/]{43,56}/,
    minLength: 68,
  },
  {
    id: "gcp-api-key",
    kind: "Google API key",
    env: "GOOGLE_API_KEY",
    vendor: "google",
    keywords: ["AIza"],
    regex: new RegExp(`${B}AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_])`),
    minLength: 39,
    entropy: 4,
  },
  {
    id: "sendgrid-api-token",
    kind: "SendGrid API key",
    env: "SENDGRID_API_KEY",
    vendor: "sendgrid",
    keywords: ["SG."],
    regex: new RegExp(`${B}SG\\.[A-Za-z0-9=_\\-.]{66}${E}`),
    minLength: 69,
  },
  {
    id: "twilio-api-key",
    kind: "Twilio API key",
    env: "TWILIO_API_KEY",
    vendor: "twilio",
    keywords: ["SK"],
    regex: new RegExp(`${B}SK[0-9a-fA-F]{32}${E}`),
    minLength: 34,
    entropy: 3,
  },
  {
    id: "npm-access-token",
    kind: "npm access token",
    env: "NPM_TOKEN",
    vendor: "npm",
    keywords: ["npm_"],
    regex: new RegExp(`${B}npm_[A-Za-z0-9]{36}${E}`),
    minLength: 40,
  },
  {
    id: "anthropic-api-key",
    kind: "Anthropic API key",
    env: "ANTHROPIC_API_KEY",
    vendor: "anthropic",
    keywords: ["sk-ant-api03-", "sk-ant-admin01-"],
    regex: new RegExp(`${B}sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA(?![A-Za-z0-9_-])`),
    minLength: 108,
  },
  {
    id: "openai-api-key",
    kind: "OpenAI API key",
    env: "OPENAI_API_KEY",
    vendor: "openai",
    keywords: ["T3BlbkFJ"],
    regex: new RegExp(
      `${B}(?:sk-(?:proj|svcacct|admin)-(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})T3BlbkFJ(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})(?![A-Za-z0-9_-])|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}${E})`,
    ),
    minLength: 51,
    entropy: 3,
  },
  {
    id: "private-key",
    kind: "private key",
    env: "PRIVATE_KEY",
    vendor: "private",
    keywords: ["-----BEGIN"],
    regex: /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY-----(?:\r?\n|\\n)[0-9a-zA-Z+/]{64,512}[\s\S]*?KEY-----/i,
    minLength: 110,
  },
  {
    id: "mailgun-private-api-token",
    kind: "Mailgun API key",
    env: "MAILGUN_API_KEY",
    vendor: "mailgun",
    keywords: ["key-"],
    regex: new RegExp(`${B}key-[a-fA-F0-9]{32}${E}`),
    minLength: 36,
    fileKeyword: /mailgun/i,
  },
  {
    id: "shopify-access-token",
    kind: "Shopify access token",
    env: "SHOPIFY_ACCESS_TOKEN",
    vendor: "shopify",
    keywords: ["shpat_", "shpca_", "shppa_"],
    regex: new RegExp(`${B}shp(?:at|ca|pa)_[a-fA-F0-9]{32}${E}`),
    minLength: 38,
    entropy: 2,
  },
  {
    id: "shopify-shared-secret",
    kind: "Shopify shared secret",
    env: "SHOPIFY_API_SECRET",
    vendor: "shopify",
    keywords: ["shpss_"],
    regex: new RegExp(`${B}shpss_[a-fA-F0-9]{32}${E}`),
    minLength: 38,
    entropy: 2,
  },
];

/** No pattern matches a shorter text. */
export const KNOWN_SECRET_MIN_LENGTH = Math.min(...SECRET_PATTERNS.map((pattern) => pattern.minLength));

/** One pass that says whether any pattern's keyword occurs: most literals stop here. */
const ANY_KEYWORD = new RegExp(
  [...new Set(SECRET_PATTERNS.flatMap((pattern) => pattern.keywords))]
    .map((keyword) => (keyword === "SK" ? "SK[0-9a-fA-F]{32}" : keyword.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("|"),
);

export interface KnownSecret {
  pattern: SecretPattern;
  /** Offsets of the match in the text. */
  start: number;
  end: number;
  value: string;
}

/**
 * The first known credential in a text, or `undefined`. `fileText` is asked for lazily, only by the few
 * patterns that need a word elsewhere in the file.
 */
export function findKnownSecret(text: string, fileMentions: (word: RegExp) => boolean): KnownSecret | undefined {
  if (text.length < KNOWN_SECRET_MIN_LENGTH || !ANY_KEYWORD.test(text)) return undefined;
  for (const pattern of SECRET_PATTERNS) {
    if (text.length < pattern.minLength || !pattern.keywords.some((keyword) => text.includes(keyword))) continue;
    const match = pattern.regex.exec(text);
    if (!match) continue;
    const value = match[0];
    if (pattern.allow?.test(value)) continue;
    if (pattern.entropy !== undefined && shannonEntropy(value) < pattern.entropy) continue;
    if (pattern.fileKeyword && !fileMentions(pattern.fileKeyword)) continue;
    return { pattern, start: match.index, end: match.index + value.length, value };
  }
  return undefined;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}
