// A rotated-out secret (an endpoint's or a source's previous_secret) is still accepted until
// its previous_secret_expires_at: one rule for signing, verifying and showing the grace.

/** The end of the grace, while it is still ahead of `now` (ms); else null. */
export function graceUntil(expiresAt: Date | null, now: number): Date | null {
  return expiresAt !== null && expiresAt.getTime() > now ? expiresAt : null;
}

/** The previous secret (as stored) while its grace lasts, else null. */
export function livePrevious(
  row: { previous_secret: string | null; previous_secret_expires_at: Date | null },
  now: number,
): string | null {
  return graceUntil(row.previous_secret_expires_at, now) ? row.previous_secret : null;
}
