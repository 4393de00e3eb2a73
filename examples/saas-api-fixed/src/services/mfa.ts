import { authenticator } from "otplib";

authenticator.options = { window: 1 };

export function generateMfaSecret(email: string) {
  const secret = authenticator.generateSecret();
  return { secret, otpauthUrl: authenticator.keyuri(email, "Acme", secret) };
}

export function verifyMfaCode(user: { mfaSecret: string | null }, code: string): boolean {
  if (!user.mfaSecret) return false;
  return authenticator.check(code, user.mfaSecret);
}
