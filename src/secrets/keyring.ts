// Where the encryption key comes from: HERALD_ENCRYPTION_KEY (32 bytes, base64 or hex), or,
// when unset, a key generated once into the data directory (encryption.key, mode 0600), the
// embedded default. HERALD_DECRYPTION_KEYS lists other keys accepted for opening secrets (a
// rotation's old key, or a new one being rolled out).
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import { parseKey, SecretBox } from "./box.ts";

export const KEY_FILE = "encryption.key";

async function keyFile(dir: string, log: Logger): Promise<Buffer> {
  const path = join(dir, KEY_FILE);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const fresh = randomKeyText();
  try {
    // wx: two processes starting together both read the one that won.
    await writeFile(path, fresh, { mode: 0o600, flag: "wx" });
    log.info({ path }, "generated the encryption key for secrets (keep it with the data)");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const { mode } = await stat(path);
  if (mode & 0o077) {
    await chmod(path, 0o600);
    log.warn({ path }, "the encryption key file was readable by others; made it 0600");
  }
  const key = parseKey(await readFile(path, "utf8"));
  if (!key) throw new Error(`${path} does not hold a 32-byte key (base64 or hex)`);
  return key;
}

function randomKeyText(): string {
  return `${randomBytes(32).toString("base64")}\n`;
}

export async function loadSecretBox(config: Config, log: Logger): Promise<SecretBox> {
  const others = config.decryptionKeys.map((k) => parseKey(k) as Buffer);
  if (config.encryptionKey !== undefined) {
    return new SecretBox(parseKey(config.encryptionKey) as Buffer, others);
  }
  if (config.databaseUrl) {
    log.warn(
      `HERALD_ENCRYPTION_KEY is unset: secrets are encrypted with the key in ${join(config.dataDir, KEY_FILE)}; every Herald process using this database needs the same key`,
    );
  }
  return new SecretBox(await keyFile(config.dataDir, log), others);
}
