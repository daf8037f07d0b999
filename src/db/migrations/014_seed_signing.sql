-- Signature scheme seed-000: the seed dispatcher's hex `X-Signature`, keyed with a shared secret
-- as its receivers know it, `event_id` added to the body (src/signing/hex-hmac.ts).
alter table endpoints drop constraint endpoints_signature_scheme_check;
alter table endpoints add constraint endpoints_signature_scheme_check
  check (signature_scheme in ('standard-webhooks', 'hmac-sha256-hex', 'seed-000'));
