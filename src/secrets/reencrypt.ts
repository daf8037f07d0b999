// At start: every endpoint and source secret not sealed with the current key (written before
// encryption, or under a key being rotated out) is sealed with it, in batches. A secret sealed
// with a key this process lacks stops the start with UnknownKeyError: signing with a secret
// it cannot read would fail every delivery.
import type { Logger } from "pino";
import type { Sql } from "../db/connect.ts";
import { SECRETS_LOCK } from "../db/locks.ts";
import type { SecretBox } from "./box.ts";

const BATCH = 500;

export async function reencryptSecrets(sql: Sql, box: SecretBox, log: Logger): Promise<number> {
  const pattern = box.currentPattern;
  let total = 0;
  for (;;) {
    const n = await sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${SECRETS_LOCK})`;
      const eps = await tx<{ id: string; secret: string; previous_secret: string | null }[]>`
        select id, secret, previous_secret from endpoints
        where secret not like ${pattern} or previous_secret not like ${pattern}
        limit ${BATCH} for update`;
      if (eps.length) {
        await tx`
          update endpoints e set secret = u.secret, previous_secret = u.previous_secret
          from unnest(${eps.map((r) => r.id)}::text[],
                      ${eps.map((r) => box.seal(box.open(r.secret)))}::text[],
                      ${eps.map((r) => box.sealNullable(box.openNullable(r.previous_secret)))}::text[])
            as u(id, secret, previous_secret)
          where e.id = u.id`;
      }
      const srcs = await tx<
        { id: string; secret: string | null; previous_secret: string | null }[]
      >`
        select id, secret, previous_secret from sources
        where secret not like ${pattern} or previous_secret not like ${pattern}
        limit ${BATCH} for update`;
      if (srcs.length) {
        await tx`
          update sources s set secret = u.secret, previous_secret = u.previous_secret
          from unnest(${srcs.map((r) => r.id)}::text[],
                      ${srcs.map((r) => box.sealNullable(box.openNullable(r.secret)))}::text[],
                      ${srcs.map((r) => box.sealNullable(box.openNullable(r.previous_secret)))}::text[])
            as u(id, secret, previous_secret)
          where s.id = u.id`;
      }
      return eps.length + srcs.length;
    });
    total += n;
    if (n === 0) break;
  }
  if (total) log.info({ secrets: total, key: box.keyId }, "secrets encrypted with the current key");
  return total;
}
